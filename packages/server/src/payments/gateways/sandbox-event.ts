import { gatewayFailure, gatewayOk } from './gateway-result.js';
import type { GatewayEvent, GatewayResult } from './payment-gateway.js';

export type SandboxEventType = 'charge.succeeded' | 'charge.failed' | 'charge.refunded' | 'charge.disputed';

/** A webhook event as the sandbox sends it (JSON; amounts as decimal strings, since JSON has no bigint). */
export interface SandboxEvent {
  readonly id: string;
  readonly type: SandboxEventType;
  /** Unix seconds. */
  readonly created: number;
  readonly data: {
    readonly reference: string;
    /** charge.refunded: the total refunded so far; charge.disputed: the disputed amount; else the charge's. */
    readonly amountMicros: string;
    readonly tenantId: string | null;
  };
}

const KINDS: Readonly<Record<SandboxEventType, GatewayEvent['kind']>> = {
  'charge.succeeded': 'charge_updated',
  'charge.failed': 'charge_updated',
  'charge.refunded': 'charge_refunded',
  'charge.disputed': 'dispute_opened',
};

/**
 * Reads a sandbox event from a webhook body whose signature has been checked. An event type this
 * version does not know is ignored, not refused: a gateway adds types, and refusing them would make
 * it retry the delivery for days.
 */
export function readSandboxEvent(rawBody: Buffer): GatewayResult<GatewayEvent> {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return gatewayFailure('invalid_event', 'the body is not JSON');
  }
  if (!isSandboxEvent(payload)) return gatewayFailure('invalid_event', 'the body is not a sandbox event');
  const kind = Object.hasOwn(KINDS, payload.type) ? KINDS[payload.type] : 'ignored';
  return gatewayOk({
    id: payload.id,
    type: payload.type,
    kind,
    chargeReference: kind === 'ignored' ? null : payload.data.reference,
    amountMicros:
      kind === 'charge_refunded' || kind === 'dispute_opened' ? BigInt(payload.data.amountMicros) : null,
    createdAtMs: payload.created * 1000,
    tenantId: payload.data.tenantId,
    payload,
  });
}

function isSandboxEvent(value: unknown): value is SandboxEvent {
  if (!isRecord(value) || !isRecord(value.data)) return false;
  const { data } = value;
  return (
    typeof value.id === 'string' &&
    typeof value.type === 'string' &&
    Number.isSafeInteger(value.created) &&
    typeof data.reference === 'string' &&
    typeof data.amountMicros === 'string' &&
    /^\d{1,30}$/.test(data.amountMicros) &&
    (data.tenantId === null || typeof data.tenantId === 'string')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
