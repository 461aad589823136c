import { getCurrency } from '@tollgate/core';
import { gatewayFailure, gatewayOk } from './gateway-result.js';
import type { GatewayResult } from './payment-gateway.js';

const MICROS_DECIMALS = 6;

/**
 * An amount of money to move, in the currency's ISO 4217 minor units (cents of EUR, yen, fils of
 * KWD). Gateways move whole minor units only, so an amount finer than that is refused, never
 * rounded: rounding would take from the customer something other than what the invoice says
 * (DESIGN.md section 3). Zero and negative amounts are refused too: no gateway charges or refunds
 * them, and a sign error upstream must not turn a refund into a charge.
 */
export function toMinorUnits(amountMicros: bigint, currency: string): GatewayResult<bigint> {
  const decimals = getCurrency(currency)?.minorUnits;
  if (decimals === undefined) return gatewayFailure('invalid_request', `unknown currency "${currency}"`);
  // Precious metals, SDR and the like have no minor unit (ISO 4217 "N.A."): no card is charged in them.
  if (decimals === null)
    return gatewayFailure('invalid_request', `${currency} has no minor unit to charge in`);
  if (amountMicros <= 0n) {
    return gatewayFailure('invalid_request', `the amount must be positive, got ${amountMicros} micro-units`);
  }
  const step = 10n ** BigInt(MICROS_DECIMALS - decimals);
  if (amountMicros % step !== 0n) {
    return gatewayFailure(
      'invalid_request',
      `${amountMicros} micro-units is not a whole number of ${currency} minor units (${decimals} decimals)`,
    );
  }
  return gatewayOk(amountMicros / step);
}
