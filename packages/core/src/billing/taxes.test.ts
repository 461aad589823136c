import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCurrency } from '../money/currency.js';
import { formatScaled } from '../money/decimal.js';
import { parseMoney } from '../money/money.js';
import { divideRounded, ROUNDING_MODES, type RoundingMode } from '../money/rounding-mode.js';
import { selectTaxComponents, type TaxExemption, type TaxRuleVersion } from './select-tax-components.js';
import {
  computeInvoiceTaxes,
  type InvoiceTaxes,
  MAX_TAX_COMPONENTS_PER_LINE,
  type TaxableLine,
  type TaxComponent,
  type TaxInput,
} from './taxes.js';

/** Micro-units of decimal text: '9.99' is 9_990_000n. */
function micros(text: string): bigint {
  const parsed = parseMoney(text, 'XTS');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.amountMicros;
}

function tax(code: string, ratePercent: string, compound = false, name = code): TaxComponent {
  return { code, name, ratePercent, compound };
}

function line(key: string, amount: string, components: readonly TaxComponent[]): TaxableLine {
  return { key, amountMicros: micros(amount), components };
}

function compute(
  lines: readonly TaxableLine[],
  options: Partial<Omit<TaxInput, 'lines'>> = {},
): InvoiceTaxes {
  const result = computeInvoiceTaxes({
    currency: 'EUR',
    pricesIncludeTax: false,
    rounding: 'line',
    roundingMode: 'half-up',
    lines,
    ...options,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** A line as decimal text: net, [code, base, tax] per tax, gross. */
function describeLine(taxed: InvoiceTaxes['lines'][number]): [string, [string, string, string][], string] {
  const text = (amountMicros: bigint) => formatScaled(amountMicros, 6);
  return [
    text(taxed.netMicros),
    taxed.taxes.map((t): [string, string, string] => [t.code, text(t.baseMicros), text(t.amountMicros)]),
    text(taxed.grossMicros),
  ];
}

const DE_VAT = tax('DE-VAT', '19', false, 'VAT');
const DE_VAT_REDUCED = tax('DE-VAT', '7', false, 'VAT');
const LEVY = tax('XX-LEVY', '5', false, 'Telecom levy');
const VAT_ON_LEVY = tax('XX-VAT', '19', true, 'VAT');
const US_STATE = tax('US-CA-SALES', '6.25', false, 'State sales tax');
const US_LOCAL = tax('US-CA-LA-SALES', '2.25', false, 'Local sales tax');

describe('computeInvoiceTaxes: exclusive prices', () => {
  it.each<[string, TaxableLine, [string, [string, string, string][], string]]>([
    ['German VAT 19 % on 9.99', line('a', '9.99', [DE_VAT]), ['9.99', [['DE-VAT', '9.99', '1.9']], '11.89']],
    [
      'stacked simple taxes: state 6.25 % and local 2.25 %',
      line('a', '100', [US_STATE, US_LOCAL]),
      [
        '100',
        [
          ['US-CA-SALES', '100', '6.25'],
          ['US-CA-LA-SALES', '100', '2.25'],
        ],
        '108.5',
      ],
    ],
    [
      'a compound VAT charged on a levy',
      line('a', '100', [LEVY, VAT_ON_LEVY]),
      [
        '100',
        [
          ['XX-LEVY', '100', '5'],
          ['XX-VAT', '105', '19.95'],
        ],
        '124.95',
      ],
    ],
    [
      'a compound tax on the rounded taxes before it',
      line('a', '0.99', [LEVY, VAT_ON_LEVY]), // levy 0.0495 → 0.05; VAT on 1.04 = 0.1976 → 0.20
      [
        '0.99',
        [
          ['XX-LEVY', '0.99', '0.05'],
          ['XX-VAT', '1.04', '0.2'],
        ],
        '1.24',
      ],
    ],
    [
      'a credit mirrors its charge',
      line('a', '-9.99', [DE_VAT]),
      ['-9.99', [['DE-VAT', '-9.99', '-1.9']], '-11.89'],
    ],
    ['no taxes', line('a', '12.34', []), ['12.34', [], '12.34']],
    ['a zero rate', line('a', '12.34', [tax('ZERO', '0')]), ['12.34', [['ZERO', '12.34', '0']], '12.34']],
    [
      'a rate of 100 %',
      line('a', '12.34', [tax('ALL', '100')]),
      ['12.34', [['ALL', '12.34', '12.34']], '24.68'],
    ],
    [
      'a fine rate: 0.125 % of 1000',
      line('a', '1000', [tax('F', '0.125')]),
      ['1000', [['F', '1000', '1.25']], '1001.25'],
    ],
  ])('%s', (_, input, expected) => {
    const taxes = compute([input]);
    expect(taxes.lines.map(describeLine)).toEqual([expected]);
  });

  it('applies a code that appears on two levels twice', () => {
    const taxes = compute([line('a', '10', [tax('LEVY', '1'), tax('LEVY', '1')])]);
    expect(describeLine(taxes.lines[0]!)).toEqual([
      '10',
      [
        ['LEVY', '10', '0.1'],
        ['LEVY', '10', '0.1'],
      ],
      '10.2',
    ]);
    expect(taxes.summary).toEqual([
      {
        code: 'LEVY',
        name: 'LEVY',
        ratePercent: '1',
        compound: false,
        baseMicros: micros('20'),
        amountMicros: micros('0.2'),
      },
    ]);
  });
});

describe('computeInvoiceTaxes: inclusive prices', () => {
  it.each<[string, TaxableLine, [string, [string, string, string][], string]]>([
    ['119.00 at 19 %', line('a', '119', [DE_VAT]), ['100', [['DE-VAT', '100', '19']], '119']],
    [
      'stacked simple taxes',
      line('a', '108.5', [US_STATE, US_LOCAL]),
      [
        '100',
        [
          ['US-CA-SALES', '100', '6.25'],
          ['US-CA-LA-SALES', '100', '2.25'],
        ],
        '108.5',
      ],
    ],
    [
      'a compound VAT on a levy: 124.95 is 100 × 1.05 × 1.19',
      line('a', '124.95', [LEVY, VAT_ON_LEVY]),
      [
        '100',
        [
          ['XX-LEVY', '100', '5'],
          ['XX-VAT', '105', '19.95'],
        ],
        '124.95',
      ],
    ],
    [
      'a gross that is no whole net: 10.00 at 19 %', // 10 × 19/119 = 1.5966 → 1.60
      line('a', '10', [DE_VAT]),
      ['8.4', [['DE-VAT', '8.4', '1.6']], '10'],
    ],
    [
      'stacked taxes each rounded once from the exact net', // net 9.2166; 0.5760 → 0.58, 0.2074 → 0.21
      line('a', '10', [US_STATE, US_LOCAL]),
      [
        '9.21',
        [
          ['US-CA-SALES', '9.21', '0.58'],
          ['US-CA-LA-SALES', '9.21', '0.21'],
        ],
        '10',
      ],
    ],
    ['a credit', line('a', '-119', [DE_VAT]), ['-100', [['DE-VAT', '-100', '-19']], '-119']],
    ['no taxes', line('a', '119', []), ['119', [], '119']],
  ])('%s', (_, input, expected) => {
    const taxes = compute([input], { pricesIncludeTax: true });
    expect(taxes.lines.map(describeLine)).toEqual([expected]);
  });
});

describe('computeInvoiceTaxes: line and invoice rounding', () => {
  const thirtyThreeCents = ['a', 'b', 'c'].map((key) => line(key, '0.33', [DE_VAT]));

  it('rounds every line: three lines of 0.33 at 19 % have 0.06 each, 0.18 in all', () => {
    const taxes = compute(thirtyThreeCents, { rounding: 'line' });
    expect(taxes.lines.map((l) => l.taxes[0]?.amountMicros)).toEqual([60_000n, 60_000n, 60_000n]);
    expect(taxes.summary).toEqual([
      {
        code: 'DE-VAT',
        name: 'VAT',
        ratePercent: '19',
        compound: false,
        baseMicros: micros('0.99'),
        amountMicros: micros('0.18'),
      },
    ]);
    expect(taxes.totals).toEqual({
      netMicros: micros('0.99'),
      taxMicros: micros('0.18'),
      grossMicros: micros('1.17'),
    });
  });

  it('rounds the invoice once: 0.99 at 19 % is 0.1881, so 0.19, shared 0.07, 0.06, 0.06', () => {
    const taxes = compute(thirtyThreeCents, { rounding: 'invoice' });
    expect(taxes.lines.map((l) => l.taxes[0]?.amountMicros)).toEqual([70_000n, 60_000n, 60_000n]);
    expect(taxes.lines.map((l) => l.grossMicros)).toEqual([400_000n, 390_000n, 390_000n]);
    expect(taxes.summary[0]).toMatchObject({ baseMicros: micros('0.99'), amountMicros: micros('0.19') });
    expect(taxes.totals).toEqual({
      netMicros: micros('0.99'),
      taxMicros: micros('0.19'),
      grossMicros: micros('1.18'),
    });
  });

  it('rounds the invoice once with inclusive prices: the nets take what the taxes leave', () => {
    // 3 × 0.39 = 1.17 gross at 19 %: 0.1868 tax → 0.19 (per line 0.0623 → 0.06 each, 0.18).
    const lines = ['a', 'b', 'c'].map((key) => line(key, '0.39', [DE_VAT]));
    const byInvoice = compute(lines, { rounding: 'invoice', pricesIncludeTax: true });
    expect(byInvoice.lines.map(describeLine)).toEqual([
      ['0.32', [['DE-VAT', '0.32', '0.07']], '0.39'],
      ['0.33', [['DE-VAT', '0.33', '0.06']], '0.39'],
      ['0.33', [['DE-VAT', '0.33', '0.06']], '0.39'],
    ]);
    expect(byInvoice.totals).toEqual({
      netMicros: micros('0.98'),
      taxMicros: micros('0.19'),
      grossMicros: micros('1.17'),
    });
    const byLine = compute(lines, { rounding: 'line', pricesIncludeTax: true });
    expect(byLine.totals).toEqual({
      netMicros: micros('0.99'),
      taxMicros: micros('0.18'),
      grossMicros: micros('1.17'),
    });
  });

  it('lets a credit reduce the base of its rate, in both roundings', () => {
    const lines = [...thirtyThreeCents, line('credit', '-0.33', [DE_VAT])];
    const byLine = compute(lines, { rounding: 'line' });
    expect(byLine.lines.map((l) => l.taxes[0]?.amountMicros)).toEqual([60_000n, 60_000n, 60_000n, -60_000n]);
    expect(byLine.summary[0]).toMatchObject({ baseMicros: micros('0.66'), amountMicros: micros('0.12') });
    // 0.66 × 19 % = 0.1254 → 0.13; the credit's exact -0.0627 keeps the larger fraction, so -0.06.
    const byInvoice = compute(lines, { rounding: 'invoice' });
    expect(byInvoice.lines.map((l) => l.taxes[0]?.amountMicros)).toEqual([
      70_000n,
      60_000n,
      60_000n,
      -60_000n,
    ]);
    expect(byInvoice.summary[0]).toMatchObject({ baseMicros: micros('0.66'), amountMicros: micros('0.13') });
  });

  it('taxes a charge and its full credit to nothing', () => {
    const lines = [line('charge', '9.99', [DE_VAT]), line('credit', '-9.99', [DE_VAT])];
    for (const rounding of ['line', 'invoice'] as const) {
      const taxes = compute(lines, { rounding });
      expect(taxes.lines.map((l) => l.taxes[0]?.amountMicros)).toEqual([1_900_000n, -1_900_000n]);
      expect(taxes.totals).toEqual({ netMicros: 0n, taxMicros: 0n, grossMicros: 0n });
    }
  });

  it('mirrors a tie of a charge and its credit note by invoice', () => {
    // 0.05 at 10 % is 0.005 either way: the rate's total is 0, and the half unit goes to the first line.
    const lines = [line('charge', '0.05', [tax('T', '10')]), line('credit', '-0.05', [tax('T', '10')])];
    const invoice = compute(lines, { rounding: 'invoice' });
    expect(invoice.lines.map((l) => l.taxes[0]?.amountMicros)).toEqual([10_000n, -10_000n]);
    const creditNote = compute(
      lines.map((l) => ({ ...l, amountMicros: -l.amountMicros })),
      { rounding: 'invoice' },
    );
    expect(creditNote.lines.map((l) => l.taxes[0]?.amountMicros)).toEqual([-10_000n, 10_000n]);
  });

  it('computes a compound rate on the exact bases of the invoice', () => {
    // Levy: 3 × 0.0495 = 0.1485 → 0.15. VAT: 19 % of 3 × 1.0395 = 0.592515 → 0.59.
    const lines = ['a', 'b', 'c'].map((key) => line(key, '0.99', [LEVY, VAT_ON_LEVY]));
    const taxes = compute(lines, { rounding: 'invoice' });
    expect(taxes.summary.map((row) => [row.code, row.baseMicros, row.amountMicros])).toEqual([
      ['XX-LEVY', micros('2.97'), micros('0.15')],
      ['XX-VAT', micros('3.12'), micros('0.59')],
    ]);
    expect(taxes.lines.map(describeLine)).toEqual([
      [
        '0.99',
        [
          ['XX-LEVY', '0.99', '0.05'],
          ['XX-VAT', '1.04', '0.2'],
        ],
        '1.24',
      ],
      [
        '0.99',
        [
          ['XX-LEVY', '0.99', '0.05'],
          ['XX-VAT', '1.04', '0.2'],
        ],
        '1.24',
      ],
      [
        '0.99',
        [
          ['XX-LEVY', '0.99', '0.05'],
          ['XX-VAT', '1.04', '0.19'],
        ],
        '1.23',
      ],
    ]);
  });

  it.each<[RoundingMode, string, string]>([
    ['half-up', '0.03', '0.03'],
    ['half-even', '0.02', '0.02'],
    ['up', '0.03', '0.03'],
    ['down', '0.02', '0.02'],
  ])('rounds 0.25 at 10 %% (0.025) %s to %s by line and %s by invoice', (roundingMode, byLine, byInvoice) => {
    const lines = [line('a', '0.25', [tax('T', '10')])];
    expect(compute(lines, { roundingMode, rounding: 'line' }).totals.taxMicros).toBe(micros(byLine));
    expect(compute(lines, { roundingMode, rounding: 'invoice' }).totals.taxMicros).toBe(micros(byInvoice));
  });
});

describe('computeInvoiceTaxes: currencies', () => {
  it('rounds yen to whole yen', () => {
    const jct = tax('JP-CT', '10', false, 'Consumption tax');
    const byLine = compute([line('a', '999', [jct]), line('b', '999', [jct])], { currency: 'JPY' });
    expect(byLine.lines.map(describeLine)).toEqual([
      ['999', [['JP-CT', '999', '100']], '1099'],
      ['999', [['JP-CT', '999', '100']], '1099'],
    ]);
    const byInvoice = compute([line('a', '999', [jct]), line('b', '999', [jct])], {
      currency: 'JPY',
      rounding: 'invoice',
    });
    expect(byInvoice.totals.taxMicros).toBe(micros('200')); // 199.8 → 200
    const inclusive = compute([line('a', '1000', [tax('JP-CT', '8')])], {
      currency: 'JPY',
      pricesIncludeTax: true,
    });
    expect(describeLine(inclusive.lines[0]!)).toEqual(['926', [['JP-CT', '926', '74']], '1000']); // 74.07
  });

  it('rounds dinars to three decimals', () => {
    const taxes = compute([line('a', '1.234', [tax('VAT', '5')])], { currency: 'KWD' });
    expect(taxes.totals.taxMicros).toBe(micros('0.062')); // 0.0617
  });

  it('keeps micro precision for a unit without a minor unit', () => {
    const taxes = compute([line('a', '1.234567', [DE_VAT])], { currency: 'XAU' });
    expect(taxes.totals.taxMicros).toBe(micros('0.234568')); // 0.23456773
  });
});

describe('computeInvoiceTaxes: summary', () => {
  it('keeps one row per code, name, rate and kind, in order of first appearance', () => {
    const taxes = compute([
      line('call', '10', [DE_VAT]),
      line('book', '10', [DE_VAT_REDUCED]),
      line('sms', '5', [tax('DE-VAT', '19.0', false, 'VAT')]),
      line('fee', '1', [LEVY, VAT_ON_LEVY]),
    ]);
    expect(
      taxes.summary.map((row) => [row.code, row.ratePercent, row.compound, row.baseMicros, row.amountMicros]),
    ).toEqual([
      ['DE-VAT', '19', false, micros('15'), micros('2.85')],
      ['DE-VAT', '7', false, micros('10'), micros('0.7')],
      ['XX-LEVY', '5', false, micros('1'), micros('0.05')],
      ['XX-VAT', '19', true, micros('1.05'), micros('0.2')],
    ]);
    expect(taxes.lines[2]?.taxes[0]?.ratePercent).toBe('19');
    expect(taxes.totals).toEqual({
      netMicros: micros('26'),
      taxMicros: micros('3.8'),
      grossMicros: micros('29.8'),
    });
  });

  it('has no rows and no tax for an invoice without lines', () => {
    expect(compute([])).toEqual({
      lines: [],
      summary: [],
      totals: { netMicros: 0n, taxMicros: 0n, grossMicros: 0n },
    });
  });
});

describe('computeInvoiceTaxes: bad data', () => {
  it.each(['abc', '', '-1', '100.01', '19%', '1e1', 'NaN', '19,5'])(
    'rejects the rate %j, naming line and tax',
    (rate) => {
      const result = computeInvoiceTaxes({
        currency: 'EUR',
        pricesIncludeTax: false,
        rounding: 'line',
        roundingMode: 'half-up',
        lines: [line('ok', '1', [DE_VAT]), line('call-7', '1', [tax('BAD-TAX', rate)])],
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('invalid_tax_rate');
      expect(result.error.message).toContain('"call-7"');
      expect(result.error.message).toContain('"BAD-TAX"');
    },
  );

  it.each(['0', '100', '0.0001', ' 19 ', '+7'])('accepts the rate %j', (rate) => {
    expect(compute([line('a', '1', [tax('T', rate)])]).lines).toHaveLength(1);
  });

  it.each<[string, Partial<TaxInput>, string, string]>([
    ['an unknown currency', { currency: 'EURO' }, 'unknown_currency', '"EURO"'],
    [
      'an amount below the minor unit',
      { lines: [line('x-1', '1.234', [DE_VAT])] },
      'amount_not_in_minor_units',
      '"x-1"',
    ],
    [
      'a fraction of a yen',
      { currency: 'JPY', lines: [line('x-2', '1.5', [DE_VAT])] },
      'amount_not_in_minor_units',
      '"x-2"',
    ],
    [
      'too many taxes on a line',
      {
        lines: [
          line(
            'x-3',
            '1',
            Array.from({ length: MAX_TAX_COMPONENTS_PER_LINE + 1 }, () => DE_VAT),
          ),
        ],
      },
      'too_many_tax_components',
      '"x-3"',
    ],
  ])('rejects %s', (_, override, code, named) => {
    const result = computeInvoiceTaxes({
      currency: 'EUR',
      pricesIncludeTax: false,
      rounding: 'invoice',
      roundingMode: 'half-up',
      lines: [],
      ...override,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(named);
  });
});

const DAY_MS = 86_400_000;
const at = (iso: string): number => Date.parse(iso);

function rule(
  jurisdiction: string,
  category: string,
  components: readonly TaxComponent[],
  from = '2000-01-01T00:00:00Z',
  to: string | null = null,
): TaxRuleVersion {
  return {
    jurisdiction,
    category,
    effectiveFromMs: at(from),
    effectiveToMs: to === null ? null : at(to),
    components,
  };
}

function exemption(
  taxCode: string,
  certificate: string,
  from: string | null = null,
  to: string | null = null,
) {
  const validity = { validFromMs: from === null ? null : at(from), validToMs: to === null ? null : at(to) };
  return { taxCode, certificate, ...validity } satisfies TaxExemption;
}

const codes = (components: readonly TaxComponent[]) => components.map((c) => `${c.code} ${c.ratePercent}`);

describe('selectTaxComponents', () => {
  const FET = tax('US-FET', '3', false, 'Federal excise tax');
  const USF = tax('US-FUSF', '36.6', false, 'Universal service fund');
  const CA_SALES = tax('US-CA-SALES', '7.25', false, 'California sales tax');
  const CA_PUC = tax('US-CA-PUC', '0.5', false, 'California PUC fee');
  const LA_UUT = tax('US-CA-LA-UUT', '9', false, 'Los Angeles utility users tax');
  const LEVY_DE = tax('DE-LEVY', '1', false, 'Telecom levy');
  const VAT_16 = tax('DE-VAT', '16', false, 'VAT');

  const RULES: readonly TaxRuleVersion[] = [
    rule('US', 'voice', [FET, USF]),
    rule('US-CA', '*', [CA_SALES]),
    rule('US-CA', 'voice', [CA_PUC]),
    rule('US-CA', 'data', [], '2000-01-01T00:00:00Z', '2015-01-01T00:00:00Z'),
    rule('US-CA-LOSANGELES', '*', [LA_UUT]),
    // Germany's VAT cut of the second half of 2020, as three consecutive versions.
    rule('DE', '*', [DE_VAT, LEVY_DE], '2007-01-01T00:00:00Z', '2020-07-01T00:00:00Z'),
    rule('DE', '*', [VAT_16, LEVY_DE], '2020-07-01T00:00:00Z', '2021-01-01T00:00:00Z'),
    rule('DE', '*', [DE_VAT, LEVY_DE], '2021-01-01T00:00:00Z'),
  ];
  const NOW = at('2026-03-01T12:00:00Z');

  it('stacks the three levels of a US city, outermost first', () => {
    const selection = selectTaxComponents(RULES, 'US-CA-LOSANGELES', 'voice', NOW, []);
    expect(codes(selection.components)).toEqual([
      'US-FET 3',
      'US-FUSF 36.6',
      'US-CA-PUC 0.5',
      'US-CA-LA-UUT 9',
    ]);
    expect(selection.rules.map((r) => `${r.jurisdiction} ${r.category}`)).toEqual([
      'US voice',
      'US-CA voice',
      'US-CA-LOSANGELES *',
    ]);
    expect(selection.exempted).toEqual([]);
  });

  it.each([
    ['voice', ['US-FET 3', 'US-FUSF 36.6', 'US-CA-PUC 0.5']],
    ['equipment', ['US-CA-SALES 7.25']],
    ['data', ['US-CA-SALES 7.25']], // the data rule ended: the level's '*' rule applies again
  ])('lets a level’s exact category beat its * rule: %s', (category, expected) => {
    expect(codes(selectTaxComponents(RULES, 'US-CA', category, NOW, []).components)).toEqual(expected);
  });

  it('applies an exact category rule without taxes in force as "no tax at this level"', () => {
    const atMs = at('2010-01-01T00:00:00Z');
    expect(codes(selectTaxComponents(RULES, 'US-CA', 'data', atMs, []).components)).toEqual([]);
  });

  it.each([
    ['2020-06-30T23:59:59.999Z', 'DE-VAT 19'],
    ['2020-07-01T00:00:00.000Z', 'DE-VAT 16'],
    ['2020-12-31T23:59:59.999Z', 'DE-VAT 16'],
    ['2021-01-01T00:00:00.000Z', 'DE-VAT 19'],
  ])('takes the version in force at %s: %s', (iso, expected) => {
    expect(codes(selectTaxComponents(RULES, 'DE', 'voice', at(iso), []).components)).toEqual([
      expected,
      'DE-LEVY 1',
    ]);
  });

  it('lets the later start win where versions overlap, and the later listed at an equal start', () => {
    const overlapping = [
      rule('DE', '*', [DE_VAT], '2007-01-01T00:00:00Z'),
      rule('DE', '*', [VAT_16], '2020-07-01T00:00:00Z', '2021-01-01T00:00:00Z'),
    ];
    const pick = (iso: string, rules: readonly TaxRuleVersion[]) =>
      codes(selectTaxComponents(rules, 'DE', 'sms', at(iso), []).components);
    expect(pick('2020-06-01T00:00:00Z', overlapping)).toEqual(['DE-VAT 19']);
    expect(pick('2020-08-01T00:00:00Z', overlapping)).toEqual(['DE-VAT 16']);
    expect(pick('2021-02-01T00:00:00Z', overlapping)).toEqual(['DE-VAT 19']);
    expect(pick('2020-08-01T00:00:00Z', [...overlapping].reverse())).toEqual(['DE-VAT 16']);
    const corrected = [...overlapping, rule('DE', '*', [DE_VAT_REDUCED], '2020-07-01T00:00:00Z')];
    expect(pick('2020-08-01T00:00:00Z', corrected)).toEqual(['DE-VAT 7']);
  });

  it('removes only the exempted tax and names the certificate', () => {
    const selection = selectTaxComponents(RULES, 'DE', 'voice', NOW, [exemption('DE-VAT', 'EX-2026-0042')]);
    expect(codes(selection.components)).toEqual(['DE-LEVY 1']);
    expect(selection.exempted).toEqual([{ component: DE_VAT, certificate: 'EX-2026-0042' }]);
  });

  it('removes every tax with a * exemption', () => {
    const selection = selectTaxComponents(RULES, 'US-CA-LOSANGELES', 'voice', NOW, [
      exemption('*', 'DIPLOMAT-7'),
    ]);
    expect(selection.components).toEqual([]);
    expect(selection.exempted).toEqual(
      [FET, USF, CA_PUC, LA_UUT].map((component) => ({ component, certificate: 'DIPLOMAT-7' })),
    );
  });

  it('prefers the certificate naming the tax over a * one', () => {
    const selection = selectTaxComponents(RULES, 'DE', 'voice', NOW, [
      exemption('*', 'ALL-1'),
      exemption('DE-VAT', 'VAT-1'),
    ]);
    expect(selection.exempted.map((e) => [e.component.code, e.certificate])).toEqual([
      ['DE-VAT', 'VAT-1'],
      ['DE-LEVY', 'ALL-1'],
    ]);
  });

  it.each([
    ['expired', '2020-01-01T00:00:00Z', '2026-03-01T12:00:00Z'],
    ['not yet valid', '2026-03-01T12:00:00.001Z', null],
  ])('ignores an exemption that is %s', (_, from, to) => {
    const selection = selectTaxComponents(RULES, 'DE', 'voice', NOW, [exemption('DE-VAT', 'EX-1', from, to)]);
    expect(codes(selection.components)).toEqual(['DE-VAT 19', 'DE-LEVY 1']);
    expect(selection.exempted).toEqual([]);
  });

  it('honours an exemption from its first to its last valid millisecond', () => {
    const exemptions = [exemption('DE-VAT', 'EX-1', '2026-03-01T12:00:00Z', '2026-03-01T12:00:00.001Z')];
    expect(selectTaxComponents(RULES, 'DE', 'voice', NOW, exemptions).exempted).toHaveLength(1);
    expect(selectTaxComponents(RULES, 'DE', 'voice', NOW + DAY_MS, exemptions).exempted).toHaveLength(0);
  });

  it.each<[string, string[]]>([
    ['', []],
    ['FR', []],
    ['us', []],
    ['US-NY', ['US-FET 3', 'US-FUSF 36.6']],
    ['US-CA-SANFRANCISCO', ['US-FET 3', 'US-FUSF 36.6', 'US-CA-PUC 0.5']],
  ])('taxes a voice line in %j by the levels that have rules', (jurisdiction, expected) => {
    expect(codes(selectTaxComponents(RULES, jurisdiction, 'voice', NOW, []).components)).toEqual(expected);
  });

  it('keeps a compound tax after an exempted one, charged on what remains', () => {
    const rules = [rule('XX', '*', [LEVY, VAT_ON_LEVY])];
    const selection = selectTaxComponents(rules, 'XX', 'voice', NOW, [exemption('XX-LEVY', 'L-1')]);
    const taxes = compute([{ key: 'a', amountMicros: micros('100'), components: selection.components }]);
    expect(describeLine(taxes.lines[0]!)).toEqual(['100', [['XX-VAT', '100', '19']], '119']);
  });
});

// Properties -----------------------------------------------------------------------------------

const CURRENCY_CODES = ['EUR', 'JPY', 'KWD', 'CLF', 'XAU'] as const;

function stepMicrosOf(currency: string): bigint {
  const minorUnits = getCurrency(currency)?.minorUnits ?? 6;
  return 10n ** BigInt(6 - minorUnits);
}

/** Rates as rule data holds them: common ones, and any percent with up to three decimals. */
function rateArbitrary(maxPercent: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('0', '5', '6.25', '19', '7.5', '0.125').filter((rate) => Number(rate) <= maxPercent),
    fc.integer({ min: 0, max: maxPercent * 1000 }).map((thousandths) => formatScaled(BigInt(thousandths), 3)),
  );
}

/** An invoice whose lines take distinct taxes from a pool of six, in any order. */
function taxInputArbitrary(maxPercent: number, maxComponents: number): fc.Arbitrary<TaxInput> {
  const pool = fc.tuple(
    ...Array.from({ length: 6 }, (_, index) =>
      fc.record({
        code: fc.constant(`T${index}`),
        name: fc.constant(`Tax ${index}`),
        ratePercent: rateArbitrary(maxPercent),
        compound: fc.boolean(),
      }),
    ),
  );
  return fc
    .record({
      currency: fc.constantFrom(...CURRENCY_CODES),
      pricesIncludeTax: fc.boolean(),
      rounding: fc.constantFrom('line' as const, 'invoice' as const),
      roundingMode: fc.constantFrom(...ROUNDING_MODES),
      pool,
      lines: fc.array(
        fc.record({
          minorUnits: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
          taxes: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: maxComponents }),
        }),
        { maxLength: 8 },
      ),
    })
    .map(({ pool: taxes, lines, ...rest }) => ({
      ...rest,
      lines: lines.map((l, index) => ({
        key: `line-${index}`,
        amountMicros: l.minorUnits * stepMicrosOf(rest.currency),
        components: l.taxes.map((i) => taxes[i]!),
      })),
    }));
}

function computeOrThrow(input: TaxInput): InvoiceTaxes {
  const result = computeInvoiceTaxes(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);
const abs = (value: bigint): bigint => (value < 0n ? -value : value);

describe('computeInvoiceTaxes: properties', () => {
  it('adds up: net + taxes = gross on every line and in total, in whole minor units', () => {
    fc.assert(
      fc.property(taxInputArbitrary(100, 6), (input) => {
        const taxes = computeOrThrow(input);
        const step = stepMicrosOf(input.currency);
        const lineTaxes = taxes.lines.map((l) => sum(l.taxes.map((t) => t.amountMicros)));
        taxes.lines.forEach((taxed, index) => {
          const source = input.lines[index]!;
          expect(taxed.key).toBe(source.key);
          expect(taxed.netMicros + lineTaxes[index]!).toBe(taxed.grossMicros);
          expect(input.pricesIncludeTax ? taxed.grossMicros : taxed.netMicros).toBe(source.amountMicros);
          if (source.components.length === 0) expect(taxed.netMicros).toBe(taxed.grossMicros);
          for (const amount of [
            taxed.netMicros,
            ...taxed.taxes.flatMap((t) => [t.baseMicros, t.amountMicros]),
          ]) {
            expect(amount % step).toBe(0n);
          }
        });
        expect(sum(taxes.lines.map((l) => l.netMicros)) + sum(lineTaxes)).toBe(taxes.totals.grossMicros);
        expect(sum(taxes.lines.map((l) => l.grossMicros))).toBe(taxes.totals.grossMicros);
        expect(sum(lineTaxes)).toBe(taxes.totals.taxMicros);
        expect(sum(taxes.summary.map((row) => row.amountMicros))).toBe(taxes.totals.taxMicros);
        expect(taxes.totals.netMicros + taxes.totals.taxMicros).toBe(taxes.totals.grossMicros);
        for (const row of taxes.summary) expect(row.baseMicros % step).toBe(0n);
      }),
    );
  });

  it('mirrors an invoice in its credit note, tax for tax', () => {
    fc.assert(
      fc.property(taxInputArbitrary(100, 4), (input) => {
        const credit = { ...input, lines: input.lines.map((l) => ({ ...l, amountMicros: -l.amountMicros })) };
        const taxes = computeOrThrow(input);
        const mirrored = computeOrThrow(credit);
        const negated = taxes.lines.map((l) => ({
          ...l,
          netMicros: -l.netMicros,
          grossMicros: -l.grossMicros,
          taxes: l.taxes.map((t) => ({ ...t, baseMicros: -t.baseMicros, amountMicros: -t.amountMicros })),
        }));
        expect(mirrored.lines).toEqual(negated);
      }),
    );
  });

  it('rounds by line and by invoice at most one minor unit per line and tax apart, per rate', () => {
    fc.assert(
      fc.property(taxInputArbitrary(30, 4), (input) => {
        const byLine = computeOrThrow({ ...input, rounding: 'line' });
        const byInvoice = computeOrThrow({ ...input, rounding: 'invoice' });
        const step = stepMicrosOf(input.currency);
        const maxComponents = Math.max(0, ...input.lines.map((l) => l.components.length));
        const bound = BigInt(input.lines.length * maxComponents) * step;
        expect(byInvoice.summary.map((row) => row.code)).toEqual(byLine.summary.map((row) => row.code));
        byLine.summary.forEach((row, index) => {
          expect(abs(row.amountMicros - byInvoice.summary[index]!.amountMicros) <= bound).toBe(true);
        });
      }),
    );
  });

  it('charges every printed line tax as its printed base × rate, with exclusive prices by line', () => {
    fc.assert(
      fc.property(taxInputArbitrary(100, 6), (input) => {
        const taxes = computeOrThrow({ ...input, pricesIncludeTax: false, rounding: 'line' });
        const step = stepMicrosOf(input.currency);
        for (const taxed of taxes.lines) {
          for (const t of taxed.taxes) {
            expect(t.amountMicros).toBe(roundPercent(t.baseMicros, t.ratePercent, step, input.roundingMode));
          }
        }
      }),
    );
  });

  it('charges every simple rate of an invoice as its summary base × rate, with exclusive prices by invoice', () => {
    fc.assert(
      fc.property(taxInputArbitrary(100, 6), (input) => {
        const taxes = computeOrThrow({ ...input, pricesIncludeTax: false, rounding: 'invoice' });
        const step = stepMicrosOf(input.currency);
        for (const row of taxes.summary.filter((r) => !r.compound)) {
          expect(row.amountMicros).toBe(
            roundPercent(row.baseMicros, row.ratePercent, step, input.roundingMode),
          );
        }
      }),
    );
  });
});

/** base × percent / 100, rounded to the minor unit: the check a reader of the invoice can make. */
function roundPercent(
  baseMicros: bigint,
  ratePercent: string,
  stepMicros: bigint,
  mode: RoundingMode,
): bigint {
  const [whole = '0', fraction = ''] = ratePercent.split('.');
  const numerator = BigInt(whole + fraction);
  const denominator = 100n * 10n ** BigInt(fraction.length);
  return divideRounded(baseMicros * numerator, denominator * stepMicros, mode) * stepMicros;
}
