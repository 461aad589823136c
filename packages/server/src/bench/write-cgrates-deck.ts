import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deck, DeckRate, DeckRounding, DeckTimeBand, PriceTier } from './deck.js';
import { PRICE_TIERS } from './deck.js';
import type { WrittenDeck } from './write-native-deck.js';

const ROUNDING_METHODS: Readonly<Record<DeckRounding['method'], string>> = {
  up: '*up',
  down: '*down',
  'half-up': '*middle',
};
/** Every band has the same weight: among active timings the later start decides, as in CGRateS. */
const BAND_WEIGHT = 10;

/**
 * Writes the deck as a CGRateS 0.10 tariff plan folder (the six rating files; see
 * ../shared/conformance/cgrates/README.md for the columns): one DestinationRates id per price tier,
 * bound to its timings by RatingPlans, as CGRateS decks are usually laid out.
 */
export async function writeCgratesDeck(deck: Deck, dir: string): Promise<WrittenDeck> {
  const files: Record<string, string[]> = {
    'Destinations.csv': ['#Id,Prefix', ...destinationRows(deck)],
    'Rates.csv': [
      '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart',
      ...deck.rates.flatMap(rateRows),
    ],
    'DestinationRates.csv': [
      '#Id,DestinationId,RatesTag,RoundingMethod,RoundingDecimals,MaxCost,MaxCostStrategy',
      ...PRICE_TIERS.flatMap((tier) => destinationRateRows(deck, tier)),
    ],
    'Timings.csv': ['#ID,Years,Months,MonthDays,WeekDays,Time', ...deck.timeBands.map(timingRow)],
    'RatingPlans.csv': [
      '#Id,DestinationRatesId,TimingTag,Weight',
      ...deck.timeBands.map(
        (band) => `${deck.ratingPlanId},${destinationRatesId(band.tier)},${band.id},${BAND_WEIGHT}`,
      ),
    ],
    'RatingProfiles.csv': [
      '#Tenant,Category,Subject,ActivationTime,RatingPlanId,FallbackSubject',
      `${deck.tenant},${deck.category},*any,${deck.activationTime},${deck.ratingPlanId},`,
    ],
  };
  let bytes = 0;
  for (const [name, lines] of Object.entries(files)) {
    const text = `${lines.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    await writeFile(join(dir, name), text);
  }
  return { path: dir, files: Object.keys(files).length, bytes };
}

function destinationRows(deck: Deck): string[] {
  return deck.destinations.flatMap((destination) =>
    destination.prefixes.map((prefix) => `${destination.id},${prefix}`),
  );
}

/** One row per group; CGRateS charges the connect fee of the first group only. */
function rateRows(rate: DeckRate): string[] {
  return rate.groups.map((group, index) =>
    [
      rate.id,
      index === 0 ? rate.connectFee : '0',
      group.price,
      `${group.perSeconds}s`,
      `${group.incrementSeconds}s`,
      `${group.fromSeconds}s`,
    ].join(','),
  );
}

function destinationRatesId(tier: PriceTier): string {
  return `DR_${tier.toUpperCase()}`;
}

function destinationRateRows(deck: Deck, tier: PriceTier): string[] {
  const { method, decimals } = deck.rounding;
  return deck.destinations.map(
    (destination) =>
      `${destinationRatesId(tier)},${destination.id},${destination.rateIds[tier]},${ROUNDING_METHODS[method]},${decimals},,`,
  );
}

/** CGRateS writes Sunday as 0 (Go's time.Weekday). */
function timingRow(band: DeckTimeBand): string {
  const weekDays = band.weekDays.map((day) => (day === 7 ? 0 : day)).join(';');
  return `${band.id},*any,*any,*any,${weekDays},${band.startTime}`;
}
