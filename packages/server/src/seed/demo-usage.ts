import { isoDateOfDay, type ZoneClock } from '@tollgate/core';
import { SeededRandom } from './seeded-random.js';

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const MB = 1_000_000;

/** When in the day a line is busy: a weight for each local hour, 0 to 23. */
type HourWeights = readonly number[];

// Daytime and evening for people, office hours for a business; the small night weights keep a
// few late calls and the phone's background data.
const PERSONAL_WEEKDAY: HourWeights = [
  1, 0.5, 0.3, 0.2, 0.2, 0.5, 2, 4, 5, 5, 5, 6, 7, 6, 5, 5, 6, 8, 10, 11, 10, 8, 5, 2,
];
const PERSONAL_WEEKEND: HourWeights = [
  2, 1.5, 1, 0.5, 0.3, 0.3, 0.5, 1, 3, 5, 7, 8, 8, 7, 7, 7, 8, 9, 10, 10, 9, 8, 6, 4,
];
const BUSINESS_WEEKDAY: HourWeights = [
  0, 0, 0, 0, 0, 0, 0.2, 2, 9, 12, 12, 11, 5, 7, 11, 11, 10, 6, 2, 0.5, 0.2, 0, 0, 0,
];
const BUSINESS_WEEKEND: HourWeights = [
  0, 0, 0, 0, 0, 0, 0, 0, 0.5, 2, 3, 3, 2, 1, 1, 1, 0.5, 0, 0, 0, 0, 0, 0, 0,
];

/** The kinds of party a line calls, as the demo tariff's destinations price them. */
export type CallTarget = 'berlin' | 'fixed' | 'mobile' | 'usa' | 'voicemail';

/** How one line uses its phone: daily means on a weekday, and how a weekend day differs. */
export interface UsageProfile {
  readonly hours: 'personal' | 'business';
  readonly callsPerDay: number;
  readonly smsPerDay: number;
  readonly dataSessionsPerDay: number;
  /** A weekend day's means as a share of a weekday's. */
  readonly weekend: { readonly calls: number; readonly sms: number; readonly data: number };
  readonly callMedianSeconds: number;
  readonly dataMedianBytes: number;
  readonly targets: readonly (readonly [CallTarget, number])[];
  /** Numbers this line calls and texts often (another line of the same customer, say). */
  readonly favourites?: readonly string[];
}

export interface DemoLine {
  readonly msisdn: string;
  readonly profile: UsageProfile;
}

/** One usage event in the shape of POST /v1/usage (mediation/formats/usage-event.ts). */
export interface DemoUsageEvent {
  readonly id: string;
  readonly subscriber: string;
  readonly service: 'call' | 'sms' | 'data';
  readonly destination: string;
  readonly startedAt: string;
  readonly units: number;
}

/** A demo event with its instant, to sort and cut the history by. */
export interface TimedUsageEvent {
  readonly atMs: number;
  readonly event: DemoUsageEvent;
}

/** The longest a demo call lasts: a long call home, well inside any source's duration limit. */
const MAX_CALL_SECONDS = 2 * 3600;
/** A day's records of one line, at most: a bound whatever a profile asks. */
const MAX_RECORDS_PER_DAY = 200;

/**
 * A line's usage from `fromMs` to `toMs`, day by day in the line's zone: for each day a Poisson
 * count of calls, messages and data sessions around the profile's means (fewer or more on a
 * weekend), each at an hour drawn from the profile's day curve, calling the line's own contacts
 * (a few favourites called most, as people do). Pure: the same seed gives the same events. Every
 * event starts at or after `fromMs` and ends by `toMs`, so none lies in the future.
 */
export function generateLineUsage(
  line: DemoLine,
  clock: ZoneClock,
  fromMs: number,
  toMs: number,
  seed: number,
): TimedUsageEvent[] {
  const random = new SeededRandom(seed);
  const contacts = contactsOf(line, random);
  const { profile } = line;
  const events: TimedUsageEvent[] = [];
  const firstDay = clock.localTime(fromMs).dayNumber;
  const lastDay = clock.localTime(toMs).dayNumber;
  const key = line.msisdn.replace(/\D/g, '');
  for (let day = firstDay; day <= lastDay; day++) {
    const date = isoDateOfDay(day);
    const weekDay = ((((day + 3) % 7) + 7) % 7) + 1;
    const weekend = weekDay >= 6;
    const hours =
      profile.hours === 'business'
        ? weekend
          ? BUSINESS_WEEKEND
          : BUSINESS_WEEKDAY
        : weekend
          ? PERSONAL_WEEKEND
          : PERSONAL_WEEKDAY;
    const factor = (kind: 'calls' | 'sms' | 'data') => (weekend ? profile.weekend[kind] : 1);
    const counts = {
      call: random.poisson(profile.callsPerDay * factor('calls')),
      sms: random.poisson(profile.smsPerDay * factor('sms')),
      data: random.poisson(profile.dataSessionsPerDay * factor('data')),
    };
    let sequence = 0;
    for (const service of ['call', 'sms', 'data'] as const) {
      for (let n = 0; n < counts[service] && sequence < MAX_RECORDS_PER_DAY; n++) {
        const atMs = instantOf(clock, day, hourOf(random, hours), random.int(0, 3599));
        const usage = usageOf(service, profile, contacts, random);
        sequence++;
        if (atMs < fromMs || atMs + usage.seconds * 1000 > toMs) continue;
        events.push({
          atMs,
          event: {
            id: `demo-${key}-${date}-${sequence}`,
            subscriber: line.msisdn,
            service,
            destination: usage.destination,
            startedAt: new Date(atMs).toISOString(),
            units: usage.units,
          },
        });
      }
    }
  }
  return events.sort((a, b) => a.atMs - b.atMs || (a.event.id < b.event.id ? -1 : 1));
}

interface Contacts {
  readonly byTarget: ReadonlyMap<CallTarget, readonly string[]>;
  readonly mobiles: readonly string[];
}

/**
 * The line's address book: a handful of numbers of each kind, the first ones (and the
 * profile's favourites) called far more often than the rest.
 */
function contactsOf(line: DemoLine, random: SeededRandom): Contacts {
  const favourites = line.profile.favourites ?? [];
  const numbers = (count: number, make: () => string) => Array.from({ length: count }, make);
  const mobilePrefixes = ['+49151', '+49152', '+49160', '+49162', '+49170', '+49176', '+49177'];
  const mobiles = [
    ...favourites,
    ...numbers(10, () => `${mobilePrefixes[random.int(0, mobilePrefixes.length - 1)]}${random.digits(7)}`),
  ];
  const cities = ['+4940', '+4989', '+49221', '+4969', '+49711', '+49341'];
  const byTarget = new Map<CallTarget, readonly string[]>([
    ['berlin', numbers(8, () => `+4930${random.int(2, 9)}${random.digits(6)}`)],
    [
      'fixed',
      numbers(6, () => `${cities[random.int(0, cities.length - 1)]}${random.int(2, 9)}${random.digits(6)}`),
    ],
    ['mobile', mobiles],
    [
      'usa',
      numbers(
        2,
        () =>
          `+1${random.pickWeighted([
            ['212', 2],
            ['415', 1],
            ['312', 1],
          ])}555${random.digits(4)}`,
      ),
    ],
    ['voicemail', ['voicemail']],
  ]);
  return { byTarget, mobiles };
}

/** Rank r of a list is picked with weight 1/(r+1): a few numbers get most of the calls. */
function favouredPick(random: SeededRandom, numbers: readonly string[]): string {
  return random.pickWeighted(numbers.map((number, rank) => [number, 1 / (rank + 1)] as const));
}

function hourOf(random: SeededRandom, hours: HourWeights): number {
  return random.pickWeighted(hours.map((weight, hour) => [hour, weight] as const));
}

function usageOf(
  service: 'call' | 'sms' | 'data',
  profile: UsageProfile,
  contacts: Contacts,
  random: SeededRandom,
): { destination: string; units: number; seconds: number } {
  if (service === 'sms') return { destination: favouredPick(random, contacts.mobiles), units: 1, seconds: 0 };
  if (service === 'data') {
    const bytes = Math.max(
      20_000,
      Math.min(2_000 * MB, Math.round(random.logNormal(profile.dataMedianBytes, 1.1))),
    );
    // A session's length follows its volume, roughly; it only keeps the session in the past.
    return { destination: 'internet', units: bytes, seconds: Math.min(3600, Math.ceil(bytes / 200_000)) };
  }
  const target = random.pickWeighted(profile.targets);
  const median =
    target === 'voicemail'
      ? 25
      : target === 'usa'
        ? profile.callMedianSeconds * 3
        : profile.callMedianSeconds;
  const seconds = Math.max(3, Math.min(MAX_CALL_SECONDS, Math.round(random.logNormal(median, 0.9))));
  return { destination: favouredPick(random, contacts.byTarget.get(target) ?? []), units: seconds, seconds };
}

/** The instant a local wall-clock time of a day shows (the hour after a clock change, at worst). */
function instantOf(clock: ZoneClock, day: number, hour: number, second: number): number {
  const localMs = day * MS_PER_DAY + hour * MS_PER_HOUR + second * 1000;
  return localMs - clock.offsetAt(localMs - clock.offsetAt(localMs));
}
