/**
 * Local calendar fields of UTC instants in one IANA time zone. Offsets come from Intl (the
 * platform's tz database), never from hand-made tables; they are cached per UTC hour because
 * rating asks for the same hours millions of times. An hour whose two ends disagree holds a
 * transition and is computed exactly instead of cached.
 */
export interface LocalTime {
  /** Days since 1970-01-01 in local time. */
  readonly dayNumber: number;
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly monthDay: number;
  /** ISO weekday: 1 = Monday .. 7 = Sunday. */
  readonly weekDay: number;
  /** Milliseconds since local midnight. */
  readonly msOfDay: number;
  /** Local minus UTC, in milliseconds. */
  readonly offsetMs: number;
}

const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
/** A year of hours, and eleven years of days: rating works on recent usage. Powers of two. */
const HOUR_CACHE_SLOTS = 8192;
const DAY_CACHE_SLOTS = 4096;

export class ZoneClock {
  readonly timeZone: string;
  private readonly fixedOffsetMs: number | null;
  private readonly format: Intl.DateTimeFormat | null;
  /** Direct-mapped caches: slot = key mod size; a slot holds its key, so a clash only recomputes. */
  private readonly cachedHours = new Float64Array(HOUR_CACHE_SLOTS).fill(Number.NaN);
  private readonly cachedOffsets = new Int32Array(HOUR_CACHE_SLOTS);
  private readonly cachedDays = new Float64Array(DAY_CACHE_SLOTS).fill(Number.NaN);
  /** year, month, month day of each cached day. */
  private readonly cachedDates = new Int32Array(DAY_CACHE_SLOTS * 3);

  constructor(timeZone: string) {
    this.timeZone = timeZone;
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const isUtc = format.resolvedOptions().timeZone === 'UTC' || timeZone === 'Etc/UTC';
    this.fixedOffsetMs = isUtc ? 0 : null;
    this.format = isUtc ? null : format;
  }

  /** Whether `timeZone` names a zone this platform knows. */
  static isValidTimeZone(timeZone: string): boolean {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      return true;
    } catch {
      return false;
    }
  }

  offsetAt(epochMs: number): number {
    if (this.fixedOffsetMs !== null) return this.fixedOffsetMs;
    const hour = Math.floor(epochMs / MS_PER_HOUR);
    const slot = hour & (HOUR_CACHE_SLOTS - 1);
    if (this.cachedHours[slot] === hour) return this.cachedOffsets[slot]!;
    const atStart = this.computeOffset(hour * MS_PER_HOUR);
    const atEnd = this.computeOffset((hour + 1) * MS_PER_HOUR - 1);
    if (atStart !== atEnd) return this.computeOffset(epochMs);
    this.cachedHours[slot] = hour;
    this.cachedOffsets[slot] = atStart;
    return atStart;
  }

  /** Rating asks for the same instant several times in a row (destination match, then pricing). */
  private lastEpochMs = Number.NaN;
  private lastLocal: LocalTime | null = null;

  localTime(epochMs: number): LocalTime {
    if (epochMs === this.lastEpochMs && this.lastLocal !== null) return this.lastLocal;
    const local = this.computeLocalTime(epochMs);
    this.lastEpochMs = epochMs;
    this.lastLocal = local;
    return local;
  }

  private computeLocalTime(epochMs: number): LocalTime {
    const offsetMs = this.offsetAt(epochMs);
    const localMs = epochMs + offsetMs;
    const dayNumber = Math.floor(localMs / MS_PER_DAY);
    const slot = dayNumber & (DAY_CACHE_SLOTS - 1);
    if (this.cachedDays[slot] !== dayNumber) {
      const { year, month, monthDay } = civilFromDays(dayNumber);
      this.cachedDays[slot] = dayNumber;
      this.cachedDates.set([year, month, monthDay], slot * 3);
    }
    return {
      dayNumber,
      year: this.cachedDates[slot * 3]!,
      month: this.cachedDates[slot * 3 + 1]!,
      monthDay: this.cachedDates[slot * 3 + 2]!,
      weekDay: ((((dayNumber + 3) % 7) + 7) % 7) + 1, // 1970-01-01 was a Thursday
      msOfDay: localMs - dayNumber * MS_PER_DAY,
      offsetMs,
    };
  }

  /**
   * The instant at which local time shows `msOfDay` of local day `dayNumber`, when the offset
   * stays as it is at `fromMs` until then; otherwise the instant of the offset change in between
   * (found by bisection, exact to the millisecond), from which the caller reads local time anew.
   */
  instantOfLocal(fromMs: number, dayNumber: number, msOfDay: number): number {
    const targetLocal = dayNumber * MS_PER_DAY + msOfDay;
    const offsetNow = this.offsetAt(fromMs);
    const guess = targetLocal - offsetNow;
    if (this.offsetAt(guess) === offsetNow && this.offsetAt(guess - 1) === offsetNow) return guess;
    // An offset change lies between fromMs and the guess: stop at the transition itself; the
    // caller re-reads local time there and continues.
    let low = fromMs;
    let high = Math.max(guess, fromMs + 1);
    if (this.offsetAt(high) === offsetNow) high = guess + MS_PER_DAY;
    for (let step = 0; step < 64 && high - low > 1; step++) {
      const middle = low + Math.floor((high - low) / 2);
      if (this.offsetAt(middle) === offsetNow) low = middle;
      else high = middle;
    }
    return high;
  }

  private computeOffset(epochMs: number): number {
    const parts = this.format!.formatToParts(epochMs);
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of parts) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
      else if (part.type === 'hour') hour = Number(part.value);
      else if (part.type === 'minute') minute = Number(part.value);
      else if (part.type === 'second') second = Number(part.value);
    }
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
    return asUtc - wholeSeconds;
  }
}

/** Proleptic Gregorian date of a day number (H. Hinnant's civil_from_days, exact integer maths). */
export function civilFromDays(dayNumber: number): { year: number; month: number; monthDay: number } {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const monthDay = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, monthDay };
}

/** Day number of a proleptic Gregorian date (inverse of civilFromDays). */
export function daysFromCivil(year: number, month: number, monthDay: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + monthDay - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Zones a process keeps clocks for; far beyond the zones accounts use, a bound on the map. */
const MAX_SHARED_CLOCKS = 1_000;
const sharedClocks = new Map<string, ZoneClock>();

/**
 * The process's clock for a zone: a clock's worth is its caches (and its Intl formatter, costly to
 * make), so code that works through many accounts of the same zones shares one per zone.
 */
export function zoneClockFor(timeZone: string): ZoneClock {
  let clock = sharedClocks.get(timeZone);
  if (clock === undefined) {
    if (sharedClocks.size >= MAX_SHARED_CLOCKS) sharedClocks.clear();
    clock = new ZoneClock(timeZone);
    sharedClocks.set(timeZone, clock);
  }
  return clock;
}
