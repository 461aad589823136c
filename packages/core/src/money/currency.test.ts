import { describe, expect, it } from 'vitest';
import { CURRENCIES, getCurrency, isCurrencyCode } from './currency.js';

describe('getCurrency', () => {
  it.each([
    ['EUR', '978', 2, 'Euro'],
    ['USD', '840', 2, 'US Dollar'],
    ['JPY', '392', 0, 'Yen'],
    ['KWD', '414', 3, 'Kuwaiti Dinar'],
    ['BHD', '048', 3, 'Bahraini Dinar'],
    ['IQD', '368', 3, 'Iraqi Dinar'],
    ['CLF', '990', 4, 'Unidad de Fomento'],
    ['UYW', '927', 4, 'Unidad Previsional'],
    ['UYI', '940', 0, 'Uruguay Peso en Unidades Indexadas (UI)'],
    ['ALL', '008', 2, 'Lek'],
    ['XCG', '532', 2, 'Caribbean Guilder'],
    ['ZWG', '924', 2, 'Zimbabwe Gold'],
    ['SLE', '925', 2, 'Leone'],
    ['VED', '926', 2, 'Bolívar Soberano'],
    ['XAD', '396', 2, 'Arab Accounting Dinar'],
    ['XAU', '959', null, 'Gold'],
    ['XDR', '960', null, 'SDR (Special Drawing Right)'],
    ['XTS', '963', null, 'Codes specifically reserved for testing purposes'],
    ['XXX', '999', null, 'The codes assigned for transactions where no currency is involved'],
  ])('%s is %s with %s minor units', (code, numericCode, minorUnits, name) => {
    expect(getCurrency(code)).toEqual({ code, numericCode, minorUnits, name });
  });

  it.each(['eur', 'EURO', '', 'XYZ', 'HRK', 'ANG', 'BGN', 'CUC', 'SLL', 'ZWL', 'VEF', 'DEM'])(
    '%j is not a List One code',
    (code) => {
      expect(getCurrency(code)).toBeUndefined();
      expect(isCurrencyCode(code)).toBe(false);
    },
  );
});

describe('CURRENCIES', () => {
  it('holds the 178 codes of List One', () => {
    expect(CURRENCIES.size).toBe(178);
  });

  it('keys every entry by its own code, which is three capital letters', () => {
    for (const [key, info] of CURRENCIES) {
      expect(info.code).toBe(key);
      expect(key).toMatch(/^[A-Z]{3}$/);
    }
  });

  it('has three-digit numeric codes, unique across the table', () => {
    const numericCodes = [...CURRENCIES.values()].map((info) => info.numericCode);
    for (const numericCode of numericCodes) expect(numericCode).toMatch(/^\d{3}$/);
    expect(new Set(numericCodes).size).toBe(numericCodes.length);
  });

  it('has minor units of 0 to 4, or null for "N.A."', () => {
    for (const info of CURRENCIES.values()) {
      expect([null, 0, 2, 3, 4]).toContain(info.minorUnits);
    }
  });

  it('maps "N.A." to null exactly for the metals and accounting units', () => {
    const withoutMinorUnit = [...CURRENCIES.values()].filter((info) => info.minorUnits === null);
    expect(withoutMinorUnit.map((info) => info.code).sort()).toEqual([
      'XAG',
      'XAU',
      'XBA',
      'XBB',
      'XBC',
      'XBD',
      'XDR',
      'XPD',
      'XPT',
      'XSU',
      'XTS',
      'XUA',
      'XXX',
    ]);
  });

  it('lists the three-decimal dinars and rials', () => {
    const three = [...CURRENCIES.values()].filter((info) => info.minorUnits === 3);
    expect(three.map((info) => info.code).sort()).toEqual(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
  });

  it('lists the currencies without decimals', () => {
    const zero = [...CURRENCIES.values()].filter((info) => info.minorUnits === 0);
    expect(zero.map((info) => info.code).sort()).toEqual([
      'BIF',
      'CLP',
      'DJF',
      'GNF',
      'ISK',
      'JPY',
      'KMF',
      'KRW',
      'PYG',
      'RWF',
      'UGX',
      'UYI',
      'VND',
      'VUV',
      'XAF',
      'XOF',
      'XPF',
    ]);
  });

  it('shares frozen entries', () => {
    expect(Object.isFrozen(getCurrency('EUR'))).toBe(true);
  });
});
