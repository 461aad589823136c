/**
 * A generated retail voice deck, independent of any file format: the bench writes it both as a
 * native tariff and as a CGRateS tariff plan, so both loaders read the same prices and both
 * compiled tariffs must price every call the same.
 */
export interface Deck {
  readonly seed: number;
  readonly tariffId: string;
  readonly currency: string;
  /** Time bands are evaluated here; a zone with summer time makes rating cross a DST change. */
  readonly timeZone: string;
  readonly tenant: string;
  readonly category: string;
  readonly ratingPlanId: string;
  /** UTC instant, ISO 8601, before every generated call. */
  readonly activationTime: string;
  readonly rounding: DeckRounding;
  readonly timeBands: readonly DeckTimeBand[];
  readonly destinations: readonly DeckDestination[];
  readonly rates: readonly DeckRate[];
  readonly prefixCount: number;
}

/** The methods both formats can express (CGRateS has no half-even). */
export interface DeckRounding {
  readonly method: 'up' | 'down' | 'half-up';
  readonly decimals: number;
}

/** Which of a destination's three prices a band charges. */
export type PriceTier = 'peak' | 'offpeak' | 'weekend';
export const PRICE_TIERS: readonly PriceTier[] = ['peak', 'offpeak', 'weekend'];

export interface DeckTimeBand {
  readonly id: string;
  /** ISO weekdays: 1 = Monday .. 7 = Sunday. */
  readonly weekDays: readonly number[];
  /** Local time HH:MM:SS. CGRateS timings have a start only: the later start wins. */
  readonly startTime: string;
  /** Local time HH:MM:SS or 24:00:00; written in the native format only. */
  readonly endTime: string;
  readonly tier: PriceTier;
}

export interface DeckDestination {
  readonly id: string;
  /** E.164 prefixes written with a leading `+`. */
  readonly prefixes: readonly string[];
  readonly rateIds: Readonly<Record<PriceTier, string>>;
}

export interface DeckRate {
  readonly id: string;
  /** Exact decimal text; "0" for none. */
  readonly connectFee: string;
  readonly groups: readonly DeckRateGroup[];
}

/** From `fromSeconds` into the call: `price` per `perSeconds`, billed in whole `incrementSeconds`. */
export interface DeckRateGroup {
  readonly fromSeconds: number;
  /** Exact decimal text with 4 or 5 decimals. */
  readonly price: string;
  readonly perSeconds: number;
  readonly incrementSeconds: number;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

/**
 * Weekday peak 08:00-19:00, weekday off-peak the rest of the day (two bands at one price, since a
 * band cannot cross midnight), weekend all day. Written as CGRateS timings (start times only),
 * the same four bands mean the same thing because the later start wins.
 */
export const DECK_TIME_BANDS: readonly DeckTimeBand[] = [
  { id: 'WEEKDAY_NIGHT', weekDays: WEEKDAYS, startTime: '00:00:00', endTime: '08:00:00', tier: 'offpeak' },
  { id: 'PEAK', weekDays: WEEKDAYS, startTime: '08:00:00', endTime: '19:00:00', tier: 'peak' },
  { id: 'WEEKDAY_EVENING', weekDays: WEEKDAYS, startTime: '19:00:00', endTime: '24:00:00', tier: 'offpeak' },
  { id: 'WEEKEND', weekDays: [6, 7], startTime: '00:00:00', endTime: '24:00:00', tier: 'weekend' },
];

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** `PEAK Mon-Fri 08:00-19:00`, for reports. */
export function describeTimeBand(band: DeckTimeBand): string {
  const first = band.weekDays[0] ?? 1;
  const last = band.weekDays[band.weekDays.length - 1] ?? 7;
  const contiguous = band.weekDays.every((day, i) => day === first + i);
  const days = contiguous
    ? `${DAY_NAMES[first]}-${DAY_NAMES[last]}`
    : band.weekDays.map((day) => DAY_NAMES[day]).join(',');
  return `${band.id} ${days} ${band.startTime.slice(0, 5)}-${band.endTime.slice(0, 5)}`;
}
