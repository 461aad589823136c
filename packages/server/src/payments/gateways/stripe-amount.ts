import { getCurrency } from '@tollgate/core';
import { gatewayFailure, gatewayOk } from './gateway-result.js';
import type { GatewayResult } from './payment-gateway.js';
import { toMinorUnits } from './to-minor-units.js';

const MICROS_DECIMALS = 6;

/**
 * How Stripe writes amounts of one currency, where that differs from ISO 4217's minor units
 * (https://docs.stripe.com/currencies, "Zero-decimal", "Three-decimal" and "Special cases"):
 * - amountDecimals: the decimals of Stripe's integer `amount` (2 for EUR: 1000 is EUR 10.00);
 * - wholeDecimals: the finest fraction Stripe accepts in a charge or refund.
 */
interface StripeAmountRule {
  readonly amountDecimals: number;
  readonly wholeDecimals: number;
}

/**
 * Stripe's zero-decimal currencies: `amount` counts whole units (500 is JPY 500). ISO 4217 agrees
 * except for MGA (ISO: 2 decimals), which Stripe takes in whole ariary. UGX is on Stripe's list too,
 * but its special case below rules how it is charged.
 */
const ZERO_DECIMAL: ReadonlySet<string> = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

/**
 * ISK and UGX "transitioned to a zero-decimal currency, but backward compatibility requires you to
 * represent it as a two-decimal value, where the decimal amount is always 00" (Stripe's special
 * cases): ISK 5 is `amount` 500, and fractions are refused. ISO 4217 gives both 0 decimals.
 * HUF and TWD are special cases for payouts only: charges take two decimals, as ISO 4217 says.
 */
const WHOLE_UNITS_WRITTEN_WITH_TWO_DECIMALS: ReadonlySet<string> = new Set(['ISK', 'UGX']);

/**
 * Stripe's three-decimal currencies: `amount` has 3 decimals (as ISO 4217), but "the
 * least-significant (last) digit must be 0" for Stripe's partners, so KWD 5.124 cannot be charged.
 */
const THREE_DECIMAL_LAST_DIGIT_ZERO: ReadonlySet<string> = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

function stripeAmountRule(currency: string, isoDecimals: number): StripeAmountRule {
  if (ZERO_DECIMAL.has(currency)) return { amountDecimals: 0, wholeDecimals: 0 };
  if (WHOLE_UNITS_WRITTEN_WITH_TWO_DECIMALS.has(currency)) return { amountDecimals: 2, wholeDecimals: 0 };
  if (THREE_DECIMAL_LAST_DIGIT_ZERO.has(currency)) return { amountDecimals: 3, wholeDecimals: 2 };
  return { amountDecimals: isoDecimals, wholeDecimals: isoDecimals };
}

/**
 * An amount of micro-units as Stripe's integer `amount`, with the currency in lower case as
 * Stripe wants it. An amount that is not a whole number of ISO 4217 minor units, or finer than
 * Stripe accepts for the currency, is refused (never rounded), before any request is made.
 */
export function toStripeAmount(
  amountMicros: bigint,
  currency: string,
): GatewayResult<{ readonly amount: number; readonly currency: string }> {
  const minor = toMinorUnits(amountMicros, currency);
  if (!minor.ok) return minor;
  // toMinorUnits has checked the currency: it is known and has a minor unit.
  const isoDecimals = getCurrency(currency)?.minorUnits ?? 0;
  const rule = stripeAmountRule(currency, isoDecimals);
  const wholeStep = 10n ** BigInt(MICROS_DECIMALS - rule.wholeDecimals);
  if (amountMicros % wholeStep !== 0n) {
    return gatewayFailure(
      'invalid_request',
      `Stripe charges ${currency} in steps of ${formatStep(rule.wholeDecimals)}; ${amountMicros} micro-units is not one`,
    );
  }
  const amount = amountMicros / 10n ** BigInt(MICROS_DECIMALS - rule.amountDecimals);
  // Stripe's amounts have at most 8 digits; beyond 2^53 a number would silently lose digits.
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    return gatewayFailure('invalid_request', `${amountMicros} micro-units of ${currency} is too large`);
  }
  return gatewayOk({ amount: Number(amount), currency: currency.toLowerCase() });
}

/**
 * Stripe's integer `amount` in `currency` (any case, as Stripe writes it: 'eur') as micro-units;
 * null when the currency is not an ISO 4217 currency with a minor unit, or the amount is not an
 * integer: a payload that cannot be read exactly is refused rather than guessed.
 */
export function fromStripeAmount(amount: unknown, currency: unknown): bigint | null {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || typeof currency !== 'string')
    return null;
  const code = currency.toUpperCase();
  const isoDecimals = getCurrency(code)?.minorUnits;
  if (isoDecimals === undefined || isoDecimals === null) return null;
  const rule = stripeAmountRule(code, isoDecimals);
  return BigInt(amount) * 10n ** BigInt(MICROS_DECIMALS - rule.amountDecimals);
}

function formatStep(decimals: number): string {
  return decimals === 0 ? 'whole units' : `0.${'0'.repeat(decimals - 1)}1`;
}
