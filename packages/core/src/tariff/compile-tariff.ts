import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { isCurrencyCode } from '../money/currency.js';
import { type Decimal, parseDecimal, pow10 } from '../money/decimal.js';
import { lcm } from '../money/rational.js';
import { daysFromCivil, ZoneClock } from '../rating/zone-clock.js';
import { ok, type Result } from '../result.js';
import { parseQuantity, quantityBaseUnits, quantityDimension } from '../units/quantity.js';
import { packBindingPrices } from './binding-pricing.js';
import type {
  BandSchedule,
  BindingSet,
  CompiledActivation,
  CompiledBinding,
  CompiledMaxCost,
  CompiledRate,
  CompiledRateGroup,
  CompiledRatingPlan,
  CompiledRounding,
  CompiledTariff,
  CompiledTimeBand,
  UsageDimension,
} from './compiled-tariff.js';
import { PrefixTrie, PrefixTrieBuilder } from './prefix-trie.js';
import {
  type BindingDocument,
  ISO_INSTANT_PATTERN,
  type RateDocument,
  type RatingProfileDocument,
  Tariff,
  type TariffDocument,
  type TimeBandDocument,
} from './tariff-schema.js';

/** One problem in a tariff document, at a path such as `rates[3].groups[1].increment`. */
export interface TariffIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export const ANY = '*any';
const MS_PER_DAY = 86_400_000;

/**
 * Checks a tariff document completely (structure, then every reference and value) and, when it
 * has no problem at all, compiles it for rating. Every problem is reported, not just the first;
 * a tariff with any problem is rejected whole.
 */
export interface CompileOptions {
  /**
   * Pack prices for the rating fast path (default true). Tests turn it off to check that both
   * paths agree; results are identical either way.
   */
  readonly fastPricing?: boolean;
}

export function compileTariff(
  document: unknown,
  options: CompileOptions = {},
): Result<CompiledTariff, readonly TariffIssue[]> {
  const structural = structuralIssues(document);
  if (structural.length > 0) return { ok: false, error: structural };
  const compiler = new TariffCompiler(document as TariffDocument, options);
  const compiled = compiler.compile();
  return compiler.issues.length > 0 ? { ok: false, error: compiler.issues } : ok(compiled);
}

class TariffCompiler {
  readonly issues: TariffIssue[] = [];
  private readonly trie = new PrefixTrieBuilder();
  private readonly prefixIdsByDestination = new Map<string, number[]>();
  private readonly rates = new Map<string, CompiledRate>();
  private readonly bands = new Map<string, CompiledTimeBand>();
  private readonly holidays = new Map<string, number[]>();

  private readonly roundings = new Map<string, CompiledRounding>();
  private groupOfPrefix: Int32Array = new Int32Array(0);

  constructor(
    private readonly doc: TariffDocument,
    private readonly options: CompileOptions,
  ) {}

  compile(): CompiledTariff {
    const { doc } = this;
    if (!isCurrencyCode(doc.currency))
      this.issue('currency', 'unknown_currency', `"${doc.currency}" is not an ISO 4217 currency`);
    const timeZoneValid = ZoneClock.isValidTimeZone(doc.timeZone);
    if (!timeZoneValid)
      this.issue('timeZone', 'unknown_time_zone', `"${doc.timeZone}" is not an IANA time zone`);
    this.compileDestinations();
    this.compileRates();
    this.compileHolidays();
    this.compileTimeBands();
    const plans = this.compilePlans();
    const profiles = this.compileProfiles(plans);
    const boundaries = new Set<number>();
    for (const band of this.bands.values()) boundaries.add(band.startMs).add(band.endMs);
    return {
      id: doc.id,
      currency: doc.currency,
      clock: new ZoneClock(timeZoneValid ? doc.timeZone : 'UTC'),
      defaultRounding: doc.rounding,
      roundings: [...this.roundings.values()],
      trie: this.trie.build(this.groupOfPrefix),
      plans,
      profiles,
      bandBoundariesMs: [...boundaries].filter((ms) => ms > 0 && ms < MS_PER_DAY).sort((a, b) => a - b),
    };
  }

  private issue(path: string, code: string, message: string): void {
    this.issues.push({ path, code, message });
  }

  private checkUniqueIds(list: readonly { id: string }[], path: string): void {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id))
        this.issue(`${path}[${i}].id`, 'duplicate_id', `"${item.id}" is defined more than once`);
      seen.add(item.id);
    });
  }

  private compileDestinations(): void {
    this.checkUniqueIds(this.doc.destinations, 'destinations');
    this.doc.destinations.forEach((destination, i) => {
      if (destination.id === ANY) this.issue(`destinations[${i}].id`, 'reserved_id', '"*any" is reserved');
      const ids = destination.prefixes.flatMap((prefix, j) => {
        if (PrefixTrie.key(prefix).length === 0 || /\s/.test(prefix)) {
          this.issue(`destinations[${i}].prefixes[${j}]`, 'invalid_prefix', `"${prefix}" is not a prefix`);
          return [];
        }
        return [this.trie.insert(prefix)];
      });
      const known = this.prefixIdsByDestination.get(destination.id) ?? [];
      this.prefixIdsByDestination.set(destination.id, [...known, ...ids]);
    });
  }

  private compileRates(): void {
    this.checkUniqueIds(this.doc.rates, 'rates');
    this.doc.rates.forEach((rate, i) => {
      const compiled = this.compileRate(rate, `rates[${i}]`);
      if (compiled !== null) this.rates.set(rate.id, compiled);
    });
  }

  private compileRate(rate: RateDocument, path: string): CompiledRate | null {
    const connectFee = this.decimalAt(rate.connectFee ?? '0', `${path}.connectFee`);
    const minimumCharge =
      rate.minimumCharge === undefined ? null : this.decimalAt(rate.minimumCharge, `${path}.minimumCharge`);
    const dimensions = new Set<UsageDimension>();
    const groups = rate.groups.map((group, g) => {
      const at = `${path}.groups[${g}]`;
      const from = this.quantityAt(group.from ?? 0, `${at}.from`, dimensions, true);
      const per = this.quantityAt(group.per, `${at}.per`, dimensions, false);
      const increment = this.quantityAt(group.increment, `${at}.increment`, dimensions, false);
      const price = this.decimalAt(group.price, `${at}.price`);
      if (increment !== null && increment <= 0)
        this.issue(`${at}.increment`, 'invalid_increment', 'the increment must be more than zero');
      if (per !== null && per <= 0)
        this.issue(`${at}.per`, 'invalid_rate_unit', 'the rate unit must be more than zero');
      return { from, per, increment, price };
    });
    if (dimensions.size > 1) {
      this.issue(`${path}.groups`, 'mixed_dimensions', 'a rate mixes durations with volumes or counts');
    }
    groups.forEach((group, g) => {
      const previous = groups[g - 1];
      if (g === 0 && group.from !== null && group.from !== 0) {
        this.issue(`${path}.groups[0].from`, 'invalid_group_start', 'the first group must start at 0');
      }
      if (previous?.from != null && group.from !== null && group.from <= previous.from) {
        this.issue(
          `${path}.groups[${g}].from`,
          'invalid_group_start',
          'groups must start at increasing offsets',
        );
      }
    });
    const complete = groups.every(
      (g) => g.from !== null && g.per !== null && g.increment !== null && g.price !== null,
    );
    if (!complete || connectFee === null || (rate.minimumCharge !== undefined && minimumCharge === null))
      return null;
    if (groups.some((g) => g.per! <= 0 || g.increment! <= 0)) return null;

    // One denominator for the whole rate keeps the hot path to integer additions.
    let denominator = pow10(connectFee.scale);
    if (minimumCharge !== null) denominator = lcm(denominator, pow10(minimumCharge.scale));
    for (const g of groups) denominator = lcm(denominator, pow10(g.price!.scale) * BigInt(g.per!));
    const compiledGroups = groups.map(
      (g, index): CompiledRateGroup => ({
        index,
        fromUnits: g.from!,
        price: g.price!,
        perUnits: g.per!,
        incrementUnits: g.increment!,
        multiplier: (g.price!.coefficient * denominator) / (pow10(g.price!.scale) * BigInt(g.per!)),
      }),
    );
    return {
      id: rate.id,
      dimension: dimensions.values().next().value ?? 'amount',
      connectFee,
      minimumCharge,
      groups: compiledGroups,
      denominator,
      connectFeeNumerator: (connectFee.coefficient * denominator) / pow10(connectFee.scale),
      minimumChargeNumerator:
        minimumCharge === null
          ? null
          : (minimumCharge.coefficient * denominator) / pow10(minimumCharge.scale),
    };
  }

  private decimalAt(text: string, path: string): Decimal | null {
    const parsed = parseDecimal(text);
    if (!parsed.ok) {
      this.issue(path, parsed.error.code, parsed.error.message);
      return null;
    }
    if (parsed.value.coefficient < 0n) {
      this.issue(path, 'negative_amount', `${text} is negative`);
      return null;
    }
    return parsed.value;
  }

  /** A zero offset is dimensionless (`0` and `0s` are the same start). */
  private quantityAt(
    value: string | number,
    path: string,
    dimensions: Set<UsageDimension>,
    zeroIsNeutral: boolean,
  ): number | null {
    const parsed = parseQuantity(value);
    if (!parsed.ok) {
      this.issue(path, parsed.error.code, parsed.error.message);
      return null;
    }
    const units = quantityBaseUnits(parsed.value);
    if (!(zeroIsNeutral && units === 0)) dimensions.add(quantityDimension(parsed.value));
    return units;
  }

  private compileHolidays(): void {
    const lists = this.doc.holidays ?? [];
    this.checkUniqueIds(lists, 'holidays');
    lists.forEach((list, i) => {
      const days = list.dates.flatMap((date, j) => {
        const day = parseLocalDate(date);
        if (day === null)
          this.issue(`holidays[${i}].dates[${j}]`, 'invalid_date', `"${date}" is not a calendar date`);
        return day === null ? [] : [day];
      });
      this.holidays.set(list.id, days);
    });
  }

  private compileTimeBands(): void {
    const bands = this.doc.timeBands ?? [];
    this.checkUniqueIds(bands, 'timeBands');
    bands.forEach((band, i) => {
      if (band.id === ANY) this.issue(`timeBands[${i}].id`, 'reserved_id', '"*any" is reserved');
      this.bands.set(band.id, this.compileTimeBand(band, `timeBands[${i}]`));
    });
  }

  private compileTimeBand(band: TimeBandDocument, path: string): CompiledTimeBand {
    const startMs = parseTimeOfDay(band.startTime ?? '00:00');
    const endMs = parseTimeOfDay(band.endTime ?? '24:00');
    if (startMs >= endMs)
      this.issue(
        `${path}.endTime`,
        'invalid_time_band',
        'the band must end after it starts (split bands that cross midnight)',
      );
    let holidayDays: Set<number> | null = null;
    (band.holidays ?? []).forEach((listId, j) => {
      const days = this.holidays.get(listId);
      if (days === undefined)
        this.issue(`${path}.holidays[${j}]`, 'unknown_reference', `holiday list "${listId}" is not defined`);
      holidayDays ??= new Set();
      for (const day of days ?? []) holidayDays.add(day);
    });
    return {
      id: band.id,
      years: band.years === undefined || band.years.length === 0 ? null : new Set(band.years),
      monthMask: mask(band.months),
      monthDayMask: mask(band.monthDays),
      weekDayMask: mask(band.weekDays?.map((day) => (day === 0 ? 7 : day))),
      holidayDays,
      startMs,
      endMs,
    };
  }

  private compilePlans(): Map<string, CompiledRatingPlan> {
    this.checkUniqueIds(this.doc.ratingPlans, 'ratingPlans');
    const groups = this.destinationGroups();
    this.groupOfPrefix = groups.groupOfPrefix;
    const plans = new Map<string, CompiledRatingPlan>();
    this.doc.ratingPlans.forEach((plan, i) => {
      const byDestination = new Map<string, CompiledBinding[]>();
      plan.bindings.forEach((binding, j) => {
        const compiled = this.compileBinding(plan.id, j, binding, `ratingPlans[${i}].bindings[${j}]`);
        if (compiled !== null) getOrCreate(byDestination, binding.destination, () => []).push(compiled);
      });
      plans.set(
        plan.id,
        indexPlan(
          plan.id,
          byDestination,
          groups.destinations,
          [...this.roundings.values()],
          this.options.fastPricing !== false,
        ),
      );
    });
    return plans;
  }

  /**
   * Prefixes held by the same destinations form a group; plans index their bindings by group,
   * which keeps the index a fraction of the prefix count (and in cache).
   */
  private destinationGroups(): { groupOfPrefix: Int32Array; destinations: string[][] } {
    const byPrefix: string[][] = Array.from({ length: this.trie.size }, () => []);
    for (const [destination, prefixIds] of this.prefixIdsByDestination) {
      for (const prefixId of new Set(prefixIds)) byPrefix[prefixId]!.push(destination);
    }
    const groupOfPrefix = new Int32Array(byPrefix.length);
    const groupIds = new Map<string, number>();
    const destinations: string[][] = [];
    byPrefix.forEach((held, prefixId) => {
      const key = held.join('\u0000');
      let group = groupIds.get(key);
      if (group === undefined) {
        group = destinations.length;
        groupIds.set(key, group);
        destinations.push(held);
      }
      groupOfPrefix[prefixId] = group;
    });
    return { groupOfPrefix, destinations };
  }

  private compileBinding(
    planId: string,
    index: number,
    binding: BindingDocument,
    path: string,
  ): CompiledBinding | null {
    const destinationKnown =
      binding.destination === ANY || this.prefixIdsByDestination.has(binding.destination);
    if (!destinationKnown)
      this.issue(
        `${path}.destination`,
        'unknown_reference',
        `destination "${binding.destination}" is not defined`,
      );
    const rate = this.rates.get(binding.rate);
    if (rate === undefined && !this.doc.rates.some((r) => r.id === binding.rate)) {
      this.issue(`${path}.rate`, 'unknown_reference', `rate "${binding.rate}" is not defined`);
    }
    const bandId = binding.timeBand ?? ANY;
    const band = bandId === ANY ? null : this.bands.get(bandId);
    if (band === undefined)
      this.issue(`${path}.timeBand`, 'unknown_reference', `time band "${bandId}" is not defined`);
    const weight = binding.weight ?? 0;
    if (!Number.isFinite(weight))
      this.issue(`${path}.weight`, 'invalid_weight', 'the weight must be a finite number');
    let maxCost: CompiledMaxCost | null = null;
    if (binding.maxCost !== undefined) {
      const amount = this.decimalAt(binding.maxCost.amount, `${path}.maxCost.amount`);
      if (amount !== null) maxCost = { amount, strategy: binding.maxCost.strategy };
    }
    if (!destinationKnown || rate === undefined || band === undefined) return null;
    const rounding = this.internRounding(binding.rounding ?? this.doc.rounding);
    return { planId, index, destinationId: binding.destination, rate, band, weight, rounding, maxCost };
  }

  /** One object per distinct rounding rule, shared by every binding that uses it (it stays in cache). */
  private internRounding(rounding: CompiledRounding): CompiledRounding {
    const key = `${rounding.method}/${rounding.decimals}`;
    return getOrCreate(this.roundings, key, () => ({ method: rounding.method, decimals: rounding.decimals }));
  }

  private compileProfiles(plans: ReadonlyMap<string, CompiledRatingPlan>): CompiledTariff['profiles'] {
    const tree = new Map<string, Map<string, Map<string, CompiledActivation[]>>>();
    const seen = new Set<string>();
    this.doc.ratingProfiles.forEach((profile: RatingProfileDocument, i) => {
      const path = `ratingProfiles[${i}]`;
      const activationMs = ISO_INSTANT_PATTERN.test(profile.activationTime)
        ? Date.parse(profile.activationTime)
        : Number.NaN;
      if (Number.isNaN(activationMs)) {
        this.issue(
          `${path}.activationTime`,
          'invalid_time',
          `"${profile.activationTime}" is not an ISO 8601 instant with a zone`,
        );
      }
      const plan = plans.get(profile.ratingPlan);
      if (plan === undefined)
        this.issue(
          `${path}.ratingPlan`,
          'unknown_reference',
          `rating plan "${profile.ratingPlan}" is not defined`,
        );
      const key = [profile.tenant, profile.category, profile.subject, activationMs].join('\u0000');
      if (seen.has(key))
        this.issue(
          path,
          'duplicate_profile',
          'another profile has the same tenant, category, subject and activation time',
        );
      seen.add(key);
      if (plan === undefined || Number.isNaN(activationMs)) return;
      const categories = getOrCreate(
        tree,
        profile.tenant,
        () => new Map<string, Map<string, CompiledActivation[]>>(),
      );
      const subjects = getOrCreate(
        categories,
        profile.category,
        () => new Map<string, CompiledActivation[]>(),
      );
      const activations = getOrCreate(subjects, profile.subject, () => [] as CompiledActivation[]);
      activations.push({
        subject: profile.subject,
        activationMs,
        plan,
        fallbackSubjects: profile.fallbackSubjects ?? [],
      });
      activations.sort((a, b) => b.activationMs - a.activationMs);
    });
    return tree;
  }
}

/**
 * TypeBox's compiled checker is five times faster than walking the schema, which matters for
 * 200,000-prefix decks; it generates code with `new Function`, which a browser's content security
 * policy may forbid, so the interpreted check stays as the fallback.
 */
const compiledSchema = (() => {
  try {
    return TypeCompiler.Compile(Tariff);
  } catch {
    return null;
  }
})();

function structuralIssues(document: unknown): TariffIssue[] {
  const valid = compiledSchema === null ? Value.Check(Tariff, document) : compiledSchema.Check(document);
  if (valid) return [];
  return [...Value.Errors(Tariff, document)].slice(0, 100).map((error) => ({
    path: jsonPointerToPath(error.path),
    code: 'invalid_structure',
    message: error.message,
  }));
}

/** A plan binding at least this share of the tariff's destination groups gets a dense index. */
const DENSE_INDEX_SHARE = 8;

function indexPlan(
  id: string,
  byDestination: ReadonlyMap<string, readonly CompiledBinding[]>,
  destinationsByGroup: readonly (readonly string[])[],
  roundings: readonly CompiledRounding[],
  fastPricing: boolean,
): CompiledRatingPlan {
  const schedules = new Map<string, BandSchedule>();
  const entries: [number, BindingSet][] = [];
  destinationsByGroup.forEach((destinations, group) => {
    const bound = destinations.filter((d) => byDestination.has(d));
    if (bound.length === 0) return;
    const bindings = bound.flatMap((d) => byDestination.get(d)!).sort((a, b) => a.index - b.index);
    entries.push([group, bindingSet(bindings, schedules, roundings, fastPricing)]);
  });
  const dense = entries.length * DENSE_INDEX_SHARE >= destinationsByGroup.length;
  let denseByGroup: (BindingSet | undefined)[] | null = null;
  if (dense) {
    denseByGroup = new Array<BindingSet | undefined>(destinationsByGroup.length).fill(undefined);
    for (const [group, set] of entries) denseByGroup[group] = set;
  }
  const any = byDestination.get(ANY);
  return {
    id,
    denseByGroup,
    sparseByGroup: dense ? null : new Map(entries),
    anyDestination: any === undefined ? null : bindingSet(any, schedules, roundings, fastPricing),
  };
}

function bindingSet(
  bindings: readonly CompiledBinding[],
  schedules: Map<string, BandSchedule>,
  roundings: readonly CompiledRounding[],
  fastPricing: boolean,
): BindingSet {
  const key = bindings.map((b) => `${b.band?.id ?? ANY}\u0000${b.weight}`).join('\u0001');
  let schedule = schedules.get(key);
  if (schedule === undefined) {
    const order = bindings.map((_, i) => i).sort((a, b) => rank(bindings[a]!, bindings[b]!));
    schedule = { order, bands: order.map((i) => bindings[i]!.band) };
    schedules.set(key, schedule);
  }
  const timeless = bindings.every((b) => b.band === null);
  const prices = packBindingPrices(bindings, (rounding) => roundings.indexOf(rounding), fastPricing);
  return { bindings, schedule, always: timeless ? schedule.order[0]! : -1, prices };
}

/** Highest weight first; at equal weight the band that starts later in the day; then plan order. */
function rank(a: CompiledBinding, b: CompiledBinding): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  const aStart = a.band?.startMs ?? 0;
  const bStart = b.band?.startMs ?? 0;
  if (aStart !== bStart) return bStart - aStart;
  return a.index - b.index;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function mask(values: readonly number[] | undefined): number {
  let bits = 0;
  for (const value of values ?? []) bits |= 1 << value;
  return bits;
}

function parseTimeOfDay(text: string): number {
  const [hours = 0, minutes = 0, seconds = 0] = text.split(':').map(Number);
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

function parseLocalDate(text: string): number | null {
  const [year = 0, month = 0, day = 0] = text.split('-').map(Number);
  const dayNumber = daysFromCivil(year, month, day);
  const roundTrip = new Date(dayNumber * MS_PER_DAY);
  const valid =
    roundTrip.getUTCFullYear() === year &&
    roundTrip.getUTCMonth() + 1 === month &&
    roundTrip.getUTCDate() === day;
  return valid ? dayNumber : null;
}

/** `/rates/3/groups/1/increment` -> `rates[3].groups[1].increment` */
function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .filter((part) => part.length > 0)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
    .replace(/^\./, '');
}
