import type { ServiceUnitKind } from './credit-control.js';

/** How a session is priced, fixed when it starts (stored in charging_sessions.rating). */
export interface SessionRating {
  readonly tariffVersionId: string;
  readonly ratingTenant: string;
  readonly subject: string;
  readonly currency: string;
  /** The usage is priced as starting here: the session's start, UTC epoch ms. */
  readonly startedAtMs: number;
}

/**
 * One rating group of a session (stored in charging_sessions.services). Counters are decimal
 * strings in storage (jsonb has no bigint) and bigints in memory.
 */
export interface ServiceState {
  readonly ratingGroup: number;
  readonly category: string;
  readonly unit: ServiceUnitKind;
  readonly destination: string;
  /** Units reported used so far. */
  usedUnits: bigint;
  /** Units of usedUnits that allowances paid for. */
  allowanceUnits: bigint;
  /** Units of usedUnits priced in money: the offset at which the next units are priced. */
  moneyUnits: bigint;
  chargedMicros: bigint;
  unpaidMicros: bigint;
  /** The units of the current grant. */
  grantedUnits: bigint;
  /** When the current grant lapses (RFC 4006 Validity-Time), UTC epoch ms; null: no grant. */
  grantExpiresAtMs: number | null;
  finalUnit: boolean;
}

interface StoredServiceState {
  ratingGroup: number;
  category: string;
  unit: ServiceUnitKind;
  destination: string;
  usedUnits: string;
  allowanceUnits: string;
  moneyUnits: string;
  chargedMicros: string;
  unpaidMicros: string;
  grantedUnits: string;
  grantExpiresAtMs: number | null;
  finalUnit: boolean;
}

export function newServiceState(
  ratingGroup: number,
  category: string,
  unit: ServiceUnitKind,
  destination: string,
): ServiceState {
  return {
    ratingGroup,
    category,
    unit,
    destination,
    usedUnits: 0n,
    allowanceUnits: 0n,
    moneyUnits: 0n,
    chargedMicros: 0n,
    unpaidMicros: 0n,
    grantedUnits: 0n,
    grantExpiresAtMs: null,
    finalUnit: false,
  };
}

export function storeServiceStates(states: Iterable<ServiceState>): string {
  const stored: StoredServiceState[] = [];
  for (const s of states) {
    stored.push({
      ratingGroup: s.ratingGroup,
      category: s.category,
      unit: s.unit,
      destination: s.destination,
      usedUnits: String(s.usedUnits),
      allowanceUnits: String(s.allowanceUnits),
      moneyUnits: String(s.moneyUnits),
      chargedMicros: String(s.chargedMicros),
      unpaidMicros: String(s.unpaidMicros),
      grantedUnits: String(s.grantedUnits),
      grantExpiresAtMs: s.grantExpiresAtMs,
      finalUnit: s.finalUnit,
    });
  }
  return JSON.stringify(stored);
}

export function loadServiceStates(stored: unknown): Map<number, ServiceState> {
  const list = (typeof stored === 'string' ? JSON.parse(stored) : stored) as StoredServiceState[];
  const states = new Map<number, ServiceState>();
  for (const s of list) {
    states.set(s.ratingGroup, {
      ratingGroup: s.ratingGroup,
      category: s.category,
      unit: s.unit,
      destination: s.destination,
      usedUnits: BigInt(s.usedUnits),
      allowanceUnits: BigInt(s.allowanceUnits),
      moneyUnits: BigInt(s.moneyUnits),
      chargedMicros: BigInt(s.chargedMicros),
      unpaidMicros: BigInt(s.unpaidMicros),
      grantedUnits: BigInt(s.grantedUnits),
      grantExpiresAtMs: s.grantExpiresAtMs ?? null,
      finalUnit: s.finalUnit,
    });
  }
  return states;
}

export function loadSessionRating(stored: unknown): SessionRating {
  return (typeof stored === 'string' ? JSON.parse(stored) : stored) as SessionRating;
}
