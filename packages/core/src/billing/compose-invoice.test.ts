import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChargeLine,
  type ComposeInvoiceInput,
  composeInvoice,
  type DiscountRule,
} from './compose-invoice.js';
import type { TaxComponent } from './taxes.js';

const VAT: TaxComponent = { code: 'VAT', name: 'VAT', ratePercent: '19', compound: false };
const REDUCED: TaxComponent = { code: 'VAT7', name: 'VAT reduced', ratePercent: '7', compound: false };

function line(
  ref: string,
  kind: ChargeLine['kind'],
  amount: string,
  extra: Partial<ChargeLine> = {},
): ChargeLine {
  return {
    ref,
    kind,
    label: ref,
    taxCategory: kind === 'usage' ? 'call' : 'recurring',
    amountMicros: BigInt(Math.round(Number(amount) * 1_000_000)),
    subscriptionId: 'line-1',
    planId: kind === 'recurring' ? 'plan-1' : null,
    service: kind === 'usage' ? 'call' : null,
    ...extra,
  };
}

function input(
  lines: ChargeLine[],
  discounts: DiscountRule[] = [],
  overrides: Partial<ComposeInvoiceInput> = {},
): ComposeInvoiceInput {
  return {
    currency: 'EUR',
    lines,
    discounts,
    commitments: [],
    taxComponents: (category) => (category === 'data' ? [REDUCED] : [VAT]),
    pricesIncludeTax: false,
    taxRounding: 'line',
    ...overrides,
  };
}

const eur = (micros: bigint) => (Number(micros) / 1_000_000).toFixed(2);

describe('composeInvoice', () => {
  it('rounds every line once, half away from zero, and totals lines plus taxes', () => {
    const result = composeInvoice(
      input([line('fee', 'recurring', '9.995'), line('calls', 'usage', '0.004999')]),
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.lines.map((l) => eur(l.amountMicros))).toEqual(['10.00', '0.00']);
    expect(eur(result.value.netMicros)).toBe('10.00');
    expect(eur(result.value.taxMicros)).toBe('1.90');
    expect(eur(result.value.totalMicros)).toBe('11.90');
  });

  it('applies a plan discount before an invoice discount, and never discounts twice', () => {
    const result = composeInvoice(
      input(
        [line('fee', 'recurring', '30.00'), line('calls', 'usage', '10.00')],
        [
          {
            id: 'all',
            name: '10 % off',
            kind: 'percent',
            percent: '10',
            amountMicros: null,
            target: 'invoice',
            targetId: null,
          },
          {
            id: 'promo',
            name: 'Half the fee',
            kind: 'percent',
            percent: '50',
            amountMicros: null,
            target: 'plan',
            targetId: 'plan-1',
          },
        ],
      ),
    );
    if (!result.ok) throw new Error(result.error.message);
    const discounts = result.value.lines
      .filter((l) => l.kind === 'discount')
      .map((l) => [l.discountId, l.taxCategory, eur(l.amountMicros)]);
    // 50 % of 30.00 = 15.00; then 10 % of what is left (15.00 + 10.00 = 25.00) = 2.50, split 15:10.
    expect(discounts).toEqual([
      ['promo', 'recurring', '-15.00'],
      ['all', 'recurring', '-1.50'],
      ['all', 'call', '-1.00'],
    ]);
    expect(eur(result.value.netMicros)).toBe('22.50');
  });

  it('caps a fixed discount at what it applies to, and splits it over tax categories', () => {
    const result = composeInvoice(
      input(
        [
          line('calls', 'usage', '3.00'),
          line('data', 'usage', '1.00', { taxCategory: 'data', service: 'data' }),
        ],
        [
          {
            id: 'f',
            name: 'Goodwill',
            kind: 'fixed',
            percent: null,
            amountMicros: 10_000_000n,
            target: 'invoice',
            targetId: null,
          },
        ],
      ),
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(eur(result.value.netMicros)).toBe('0.00');
    expect(eur(result.value.taxMicros)).toBe('0.00');
    expect(
      result.value.lines
        .filter((l) => l.kind === 'discount')
        .map((l) => [l.taxCategory, eur(l.amountMicros)]),
    ).toEqual([
      ['call', '-3.00'],
      ['data', '-1.00'],
    ]);
  });

  it('discounts only the service it names', () => {
    const result = composeInvoice(
      input(
        [line('fee', 'recurring', '30.00'), line('calls', 'usage', '8.00')],
        [
          {
            id: 's',
            name: 'Calls -25 %',
            kind: 'percent',
            percent: '25',
            amountMicros: null,
            target: 'service',
            targetId: 'call',
          },
        ],
      ),
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.lines.filter((l) => l.kind === 'discount').map((l) => eur(l.amountMicros))).toEqual([
      '-2.00',
    ]);
  });

  it('tops usage up to a commitment, and adds nothing when usage reaches it', () => {
    const short = composeInvoice({
      ...input([line('calls', 'usage', '3.40')]),
      commitments: [
        { subscriptionId: 'line-1', planId: 'plan-1', label: 'Business', minimumMicros: 20_000_000n },
      ],
    });
    if (!short.ok) throw new Error(short.error.message);
    expect(short.value.lines.map((l) => [l.kind, eur(l.amountMicros)])).toEqual([
      ['usage', '3.40'],
      ['minimum_commitment', '16.60'],
    ]);
    const enough = composeInvoice({
      ...input([line('calls', 'usage', '25.00')]),
      commitments: [
        { subscriptionId: 'line-1', planId: 'plan-1', label: 'Business', minimumMicros: 20_000_000n },
      ],
    });
    if (!enough.ok) throw new Error(enough.error.message);
    expect(enough.value.lines).toHaveLength(1);
  });

  it('takes taxes out of inclusive prices', () => {
    const result = composeInvoice(input([line('fee', 'recurring', '11.90')], [], { pricesIncludeTax: true }));
    if (!result.ok) throw new Error(result.error.message);
    expect(eur(result.value.netMicros)).toBe('10.00');
    expect(eur(result.value.totalMicros)).toBe('11.90');
  });

  it('refuses a discount whose percent is not a decimal', () => {
    const result = composeInvoice(
      input(
        [line('fee', 'recurring', '1.00')],
        [
          {
            id: 'x',
            name: 'Bad',
            kind: 'percent',
            percent: 'ten',
            amountMicros: null,
            target: 'invoice',
            targetId: null,
          },
        ],
      ),
    );
    expect(result.ok).toBe(false);
  });

  it('keeps the total equal to the lines plus their taxes, and never discounts below zero (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5_000_000, max: 50_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.constantFrom<'line' | 'invoice'>('line', 'invoice'),
        (amounts, percent, fixed, taxRounding) => {
          const lines = amounts.map((micros, i) => ({
            ...line(`l${i}`, i % 2 === 0 ? 'recurring' : 'usage', '0'),
            amountMicros: BigInt(micros),
            taxCategory: i % 3 === 0 ? 'data' : 'call',
          }));
          const result = composeInvoice(
            input(
              lines,
              [
                {
                  id: 'p',
                  name: 'p',
                  kind: 'percent',
                  percent: String(percent),
                  amountMicros: null,
                  target: 'invoice',
                  targetId: null,
                },
                {
                  id: 'f',
                  name: 'f',
                  kind: 'fixed',
                  percent: null,
                  amountMicros: BigInt(fixed),
                  target: 'invoice',
                  targetId: null,
                },
              ],
              { taxRounding },
            ),
          );
          if (!result.ok) return false;
          const sum = result.value.lines.reduce((s, l) => s + l.amountMicros + l.taxMicros, 0n);
          const discounts = result.value.lines
            .filter((l) => l.kind === 'discount')
            .reduce((s, l) => s + l.amountMicros, 0n);
          const charges = result.value.lines
            .filter((l) => l.kind !== 'discount' && l.amountMicros > 0n)
            .reduce((s, l) => s + l.amountMicros, 0n);
          return (
            sum === result.value.totalMicros &&
            -discounts <= charges &&
            result.value.lines.every((l) => l.amountMicros % 10_000n === 0n && l.taxMicros % 10_000n === 0n)
          );
        },
      ),
    );
  });
});
