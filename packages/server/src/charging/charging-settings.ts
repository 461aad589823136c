import type { ServiceUnitKind } from './credit-control.js';

/** A rating group's service: the tariff category that prices it and the units it is counted in. */
export interface RatedService {
  readonly category: string;
  readonly unit: ServiceUnitKind;
}

export interface ChargingSettings {
  /** Rating-Group → service. Operators number rating groups as they like; these are ours. */
  readonly ratingGroups: ReadonlyMap<number, RatedService>;
  /** Units granted when a request asks for none in particular. */
  readonly defaultGrantUnits: Readonly<Record<ServiceUnitKind, bigint>>;
  /** RFC 4006 Validity-Time: a grant not reported within this time lapses and is returned. */
  readonly validityTimeSeconds: number;
  /** Destinations a suspended line may still reach (default DEFAULT_EMERGENCY_NUMBERS). */
  readonly emergencyNumbers?: ReadonlySet<string>;
}

/**
 * The defaults: rating group 1 is voice (`call`, seconds), 2 SMS (`sms`, messages), 3 data
 * (`data`, bytes), matching the categories of the demo tariff. A grant of 5 minutes, 10 MB or one
 * message; validity 15 minutes, longer than any sensible update interval.
 */
export const DEFAULT_CHARGING_SETTINGS: ChargingSettings = {
  ratingGroups: new Map([
    [1, { category: 'call', unit: 'seconds' }],
    [2, { category: 'sms', unit: 'messages' }],
    [3, { category: 'data', unit: 'bytes' }],
  ]),
  defaultGrantUnits: { seconds: 300n, bytes: 10_000_000n, messages: 1n, units: 1n },
  validityTimeSeconds: 900,
};
