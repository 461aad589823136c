import type { GatewayError, GatewayResult } from './payment-gateway.js';

/** A gateway answer that carries a value. */
export function gatewayOk<T>(value: T): GatewayResult<T> {
  return { ok: true, value };
}

/** A gateway answer that carries no value: the request was refused, or its outcome is unknown. */
export function gatewayFailure<T>(code: GatewayError['code'], message: string): GatewayResult<T> {
  return { ok: false, error: { code, message } };
}
