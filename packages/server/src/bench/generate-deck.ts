import { SeededRandom } from '../seed/seeded-random.js';
import { COUNTRY_CALLING_CODES } from './country-calling-codes.js';
import {
  DECK_TIME_BANDS,
  type Deck,
  type DeckDestination,
  type DeckRate,
  type DeckRateGroup,
  PRICE_TIERS,
  type PriceTier,
} from './deck.js';

export interface DeckOptions {
  readonly seed: number;
  readonly prefixCount: number;
}

/** Prefixes per destination, 10 on average, so 200,000 prefixes make about 20,000 destinations. */
const MIN_DESTINATION_PREFIXES = 5;
const MAX_DESTINATION_PREFIXES = 15;
/** The numbering space is nowhere near full, so failing this often to place a destination is a bug. */
const MAX_PLACEMENT_ATTEMPTS = 1_000;

/** Digits in a prefix, country code included: area codes and mobile ranges make 6-7 the common case. */
const PREFIX_DIGIT_WEIGHTS: readonly (readonly [number, number])[] = [
  [3, 2],
  [4, 8],
  [5, 15],
  [6, 25],
  [7, 25],
  [8, 15],
  [9, 10],
];

/** The deep numbering plans of zones 1 and 7 and the big two-digit countries carry more destinations. */
const CODE_WEIGHTS: readonly (readonly [string, number])[] = COUNTRY_CALLING_CODES.map((code) => [
  code,
  code.length === 1 ? 6 : code.length === 2 ? 3 : 1,
]);

type IncrementStyle = '60/60' | '1/1' | '60/1';
const INCREMENT_STYLES: readonly (readonly [IncrementStyle, number])[] = [
  ['60/60', 4],
  ['1/1', 4],
  ['60/1', 2],
];

/** Prices are drawn in units of 10^-5 per minute: median 0.03, from 0.001 to 3. */
const PRICE_SCALE = 5;
const MEDIAN_PEAK_PRICE_UNITS = 3_000;
const MIN_PEAK_PRICE_UNITS = 100;
const MAX_PEAK_PRICE_UNITS = 300_000;
const CONNECT_FEE_SHARE = 0.1;

/**
 * A retail deck of `prefixCount` distinct E.164 prefixes (3 to 9 digits) grouped into destinations
 * of 5 to 15 sibling prefixes each (`+49151` then 0..9, as operators' ranges are), each destination
 * with a peak, off-peak and weekend rate in one of three increment styles.
 */
export function generateDeck(options: DeckOptions): Deck {
  const random = new SeededRandom(options.seed);
  const used = new Set<string>();
  const destinations: DeckDestination[] = [];
  const rates: DeckRate[] = [];
  const idWidth = String(Math.ceil(options.prefixCount / MIN_DESTINATION_PREFIXES)).length;
  let prefixCount = 0;
  while (prefixCount < options.prefixCount) {
    const size = Math.min(
      random.int(MIN_DESTINATION_PREFIXES, MAX_DESTINATION_PREFIXES),
      options.prefixCount - prefixCount,
    );
    const number = String(destinations.length + 1).padStart(idWidth, '0');
    const destinationRates = generateRates(random, number);
    destinations.push({
      id: `DST_${number}`,
      prefixes: placePrefixes(random, used, size),
      rateIds: {
        peak: destinationRates.peak.id,
        offpeak: destinationRates.offpeak.id,
        weekend: destinationRates.weekend.id,
      },
    });
    rates.push(...PRICE_TIERS.map((tier) => destinationRates[tier]));
    prefixCount += size;
  }
  return {
    seed: options.seed,
    tariffId: 'bench-retail',
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    tenant: 'bench.tollgate.test',
    category: 'call',
    ratingPlanId: 'RP_RETAIL',
    activationTime: '2026-01-01T00:00:00Z',
    rounding: { method: 'half-up', decimals: 4 },
    timeBands: DECK_TIME_BANDS,
    destinations,
    rates,
    prefixCount,
  };
}

/** `size` unused prefixes (with `+`) under one random base: a country code and an area or range. */
function placePrefixes(random: SeededRandom, used: Set<string>, size: number): string[] {
  const suffixDigits = size <= 10 ? 1 : 2;
  for (let attempt = 0; attempt < MAX_PLACEMENT_ATTEMPTS; attempt++) {
    const code = random.pickWeighted(CODE_WEIGHTS);
    const baseDigits = random.pickWeighted(PREFIX_DIGIT_WEIGHTS) - suffixDigits;
    if (baseDigits < code.length) continue;
    const base = code + random.digits(baseDigits - code.length);
    const prefixes = pickSuffixes(random, base, suffixDigits, size, used);
    if (prefixes === null) continue;
    for (const prefix of prefixes) used.add(prefix);
    return prefixes.map((prefix) => `+${prefix}`);
  }
  throw new Error(`generateDeck: no room for ${size} more prefixes after ${MAX_PLACEMENT_ATTEMPTS} tries`);
}

/** A random choice of `size` unused extensions of `base`, or null when too few are left. */
function pickSuffixes(
  random: SeededRandom,
  base: string,
  suffixDigits: number,
  size: number,
  used: ReadonlySet<string>,
): string[] | null {
  const candidates = Array.from(
    { length: 10 ** suffixDigits },
    (_, i) => base + String(i).padStart(suffixDigits, '0'),
  );
  const chosen: string[] = [];
  // A partial Fisher-Yates shuffle: each candidate is looked at once, in random order.
  for (let i = 0; i < candidates.length && chosen.length < size; i++) {
    const j = random.int(i, candidates.length - 1);
    const candidate = candidates[j]!;
    candidates[j] = candidates[i]!;
    if (!used.has(candidate)) chosen.push(candidate);
  }
  return chosen.length === size ? chosen : null;
}

function generateRates(random: SeededRandom, number: string): Record<PriceTier, DeckRate> {
  const style = random.pickWeighted(INCREMENT_STYLES);
  const decimals = random.chance(0.5) ? 4 : 5;
  const connectFee = random.chance(CONNECT_FEE_SHARE) ? formatFixed(random.int(50, 500), 4) : '0';
  const peakUnits = drawPeakPriceUnits(random);
  // Integer arithmetic on the drawn units: off-peak is 70% of peak, weekend half.
  const units: Record<PriceTier, number> = {
    peak: peakUnits,
    offpeak: Math.floor((peakUnits * 7) / 10),
    weekend: Math.floor(peakUnits / 2),
  };
  const rate = (tier: PriceTier): DeckRate => ({
    id: `RT_${number}_${tier.toUpperCase()}`,
    connectFee,
    groups: rateGroups(style, formatPrice(units[tier], decimals)),
  });
  return { peak: rate('peak'), offpeak: rate('offpeak'), weekend: rate('weekend') };
}

/** A log-normal draw, so most prices are cents and a few exotic destinations cost much more. */
function drawPeakPriceUnits(random: SeededRandom): number {
  const drawn = Math.round(MEDIAN_PEAK_PRICE_UNITS * Math.exp(random.normal()));
  return Math.min(MAX_PEAK_PRICE_UNITS, Math.max(MIN_PEAK_PRICE_UNITS, drawn));
}

/** "60/60" bills whole minutes, "1/1" seconds, "60/1" a first whole minute and then seconds. */
function rateGroups(style: IncrementStyle, price: string): DeckRateGroup[] {
  switch (style) {
    case '60/60':
      return [{ fromSeconds: 0, price, perSeconds: 60, incrementSeconds: 60 }];
    case '1/1':
      return [{ fromSeconds: 0, price, perSeconds: 60, incrementSeconds: 1 }];
    case '60/1':
      return [
        { fromSeconds: 0, price, perSeconds: 60, incrementSeconds: 60 },
        { fromSeconds: 60, price, perSeconds: 60, incrementSeconds: 1 },
      ];
  }
}

/** Units of 10^-5 as text with exactly `decimals` (4 or 5) places, trailing zeros kept as written. */
function formatPrice(units: number, decimals: number): string {
  return formatFixed(Math.floor(units / 10 ** (PRICE_SCALE - decimals)), decimals);
}

/** An integer count of 10^-decimals as fixed-point text: (1234, 4) -> "0.1234". */
function formatFixed(value: number, decimals: number): string {
  const digits = String(value).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
