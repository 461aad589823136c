import type { ChargedLine } from './resolve-charged-line.js';

/** How long a resolved line is reused: a plan change or suspension is seen within this time. */
export const LINE_TTL_MS = 2_000;
const MAX_LINES = 100_000;

/**
 * Lines resolved in the last moments, by tenant and identity. A busy line (a shared account's
 * SMS gateway, a data session's updates) asks for the same line many times a second; reading its
 * line, plan and tariff version each time would add a query to every event. Balances are never
 * taken from here: they are read and locked in the batch.
 */
export class RecentLines {
  readonly #lines = new Map<string, { line: ChargedLine; resolvedAtMs: number }>();

  constructor(private readonly ttlMs = LINE_TTL_MS) {}

  get(tenantId: string, kind: string, value: string, nowMs: number): ChargedLine | undefined {
    const found = this.#lines.get(key(tenantId, kind, value));
    return found !== undefined && nowMs - found.resolvedAtMs < this.ttlMs ? found.line : undefined;
  }

  remember(tenantId: string, kind: string, value: string, line: ChargedLine, nowMs: number): void {
    if (this.#lines.size >= MAX_LINES) this.#lines.clear();
    this.#lines.set(key(tenantId, kind, value), { line, resolvedAtMs: nowMs });
  }
}

function key(tenantId: string, kind: string, value: string): string {
  return `${tenantId}\u0000${kind}\u0000${value}`;
}
