import type { Decimal } from '../money/decimal.js';
import type { RoundingMode } from '../money/rounding-mode.js';
import type { ZoneClock } from '../rating/zone-clock.js';
import type { PrefixTrie } from './prefix-trie.js';

/**
 * A tariff prepared for rating: ids resolved to objects, quantities parsed to integers of base
 * units (milliseconds for time, bytes or counts for amounts), prices turned into exact integer
 * ratios, prefixes in a trie. Built once by compileTariff; immutable afterwards.
 */
export interface CompiledTariff {
  readonly id: string;
  readonly currency: string;
  readonly clock: ZoneClock;
  readonly defaultRounding: CompiledRounding;
  /** Every distinct rounding rule of the tariff, once; packed prices refer to them by index. */
  readonly roundings: readonly CompiledRounding[];
  readonly trie: PrefixTrie;
  readonly plans: ReadonlyMap<string, CompiledRatingPlan>;
  /** tenant -> category -> subject -> activations, newest first. */
  readonly profiles: ReadonlyMap<
    string,
    ReadonlyMap<string, ReadonlyMap<string, readonly CompiledActivation[]>>
  >;
  /** Every band start and end (ms of the local day), sorted; where a usage may change band. */
  readonly bandBoundariesMs: readonly number[];
}

export type UsageDimension = 'time' | 'amount';

export interface CompiledRounding {
  readonly method: RoundingMode;
  readonly decimals: number;
}

export interface CompiledRateGroup {
  readonly index: number;
  /** Where the group starts, in base units from the start of the usage. */
  readonly fromUnits: number;
  readonly price: Decimal;
  readonly perUnits: number;
  readonly incrementUnits: number;
  /** price / perUnits = multiplier / rate.denominator, per base unit. */
  readonly multiplier: bigint;
}

export interface CompiledRate {
  readonly id: string;
  readonly dimension: UsageDimension;
  readonly connectFee: Decimal;
  readonly minimumCharge: Decimal | null;
  readonly groups: readonly CompiledRateGroup[];
  /** Common denominator of every price, fee and minimum of this rate. */
  readonly denominator: bigint;
  readonly connectFeeNumerator: bigint;
  readonly minimumChargeNumerator: bigint | null;
}

export interface CompiledTimeBand {
  readonly id: string;
  readonly years: ReadonlySet<number> | null;
  /** Bit n set: month n (1..12) matches; 0 = any. */
  readonly monthMask: number;
  /** Bit n set: day n (1..31) of the month matches; 0 = any. */
  readonly monthDayMask: number;
  /** Bit n set: ISO weekday n (1..7) matches; 0 = any. */
  readonly weekDayMask: number;
  /** Local day numbers of the band's holidays; null = not restricted to holidays. */
  readonly holidayDays: ReadonlySet<number> | null;
  readonly startMs: number;
  readonly endMs: number;
}

export interface CompiledMaxCost {
  readonly amount: Decimal;
  readonly strategy: 'free' | 'disconnect';
}

export interface CompiledBinding {
  readonly planId: string;
  /** Position in the plan: the last tie-breaker, so results never depend on map order. */
  readonly index: number;
  readonly destinationId: string;
  readonly rate: CompiledRate;
  /** null: active at all times (`*any`). */
  readonly band: CompiledTimeBand | null;
  readonly weight: number;
  readonly rounding: CompiledRounding;
  readonly maxCost: CompiledMaxCost | null;
}

/** The bindings that may price one prefix (or the `*any` destination) of one plan. */
export interface BindingSet {
  /** In plan order; every destination holding the prefix contributes its bindings. */
  readonly bindings: readonly CompiledBinding[];
  readonly schedule: BandSchedule;
  /** When no binding has a time band, the position of the one that always wins; -1 when the time decides. */
  readonly always: number;
  /** The bindings' prices packed for the fast path (see binding-pricing.ts). */
  readonly prices: Float64Array;
}

/**
 * When each binding of a set applies: its band, in ranking order (highest weight first, then the
 * band starting later in the day, then plan order), so the winner at an instant is the first one
 * whose band is active. Sets with the same bands and weights (typically every destination of a
 * plan) share one schedule, so choosing a winner reads one small object that stays in cache.
 */
export interface BandSchedule {
  /** Positions in BindingSet.bindings, best first. */
  readonly order: readonly number[];
  /** bands[k] is the band of bindings[order[k]]; null = always active. */
  readonly bands: readonly (CompiledTimeBand | null)[];
}

export interface CompiledRatingPlan {
  readonly id: string;
  /**
   * Binding sets by destination group (prefixes held by the same destinations; see PrefixTrie):
   * a dense array when the plan binds a good share of the groups (one indexed read per lookup),
   * else a map (memory in proportion to what it binds).
   */
  readonly denseByGroup: readonly (BindingSet | undefined)[] | null;
  readonly sparseByGroup: ReadonlyMap<number, BindingSet> | null;
  /** Bindings of the `*any` destination: used when no prefix of the number has a binding. */
  readonly anyDestination: BindingSet | null;
}

export interface CompiledActivation {
  /** The profile's subject: a subject, or `*any`. */
  readonly subject: string;
  readonly activationMs: number;
  readonly plan: CompiledRatingPlan;
  readonly fallbackSubjects: readonly string[];
}
