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
/** Bounded cache: a year of hours in a handful of zones; cleared when full rather than grown. */
const MAX_CACHED_HOURS = 100_000;

export class ZoneClock {
  readonly timeZone: string;
  private readonly fixedOffsetMs: number | null;
  private readonly format: Intl.DateTimeFormat | null;
  private readonly offsetsByHour = new Map<number, number>();

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
    const cached = this.offsetsByHour.get(hour);
    if (cached !== undefined) return cached;
    const atStart = this.computeOffset(hour * MS_PER_HOUR);
    const atEnd = this.computeOffset((hour + 1) * MS_PER_HOUR - 1);
    if (atStart !== atEnd) return this.computeOffset(epochMs);
    if (this.offsetsByHour.size >= MAX_CACHED_HOURS) this.offsetsByHour.clear();
    this.offsetsByHour.set(hour, atStart);
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
    const { year, month, monthDay } = civilFromDays(dayNumber);
    return {
      dayNumber,
      year,
      month,
      monthDay,
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
