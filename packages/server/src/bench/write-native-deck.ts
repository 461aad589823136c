import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BindingDocument, type RateDocument, TARIFF_FORMAT, type TariffDocument } from '@tollgate/core';
import type { Deck, DeckRate } from './deck.js';

export const NATIVE_TARIFF_FILE = 'tariff.json';

export interface WrittenDeck {
  /** What the loader is given: the native file, or the CGRateS folder. */
  readonly path: string;
  readonly files: number;
  readonly bytes: number;
}

/**
 * Writes the deck as `tollgate.tariff/v1` JSON, compact, as a tool that exports a deck would
 * (whitespace would only inflate what the loader must read).
 */
export async function writeNativeDeck(deck: Deck, dir: string): Promise<WrittenDeck> {
  const text = JSON.stringify(nativeTariffDocument(deck));
  const path = join(dir, NATIVE_TARIFF_FILE);
  await writeFile(path, text);
  return { path, files: 1, bytes: Buffer.byteLength(text) };
}

export function nativeTariffDocument(deck: Deck): TariffDocument {
  // One binding per destination and band: the plan prices every destination at every hour.
  const bindings: BindingDocument[] = deck.destinations.flatMap((destination) =>
    deck.timeBands.map((band) => ({
      destination: destination.id,
      rate: destination.rateIds[band.tier],
      timeBand: band.id,
    })),
  );
  return {
    format: TARIFF_FORMAT,
    id: deck.tariffId,
    currency: deck.currency,
    timeZone: deck.timeZone,
    rounding: { ...deck.rounding },
    destinations: deck.destinations.map(({ id, prefixes }) => ({ id, prefixes: [...prefixes] })),
    rates: deck.rates.map(nativeRate),
    timeBands: deck.timeBands.map(({ id, weekDays, startTime, endTime }) => ({
      id,
      weekDays: [...weekDays],
      startTime,
      endTime,
    })),
    ratingPlans: [{ id: deck.ratingPlanId, bindings }],
    ratingProfiles: [
      {
        tenant: deck.tenant,
        category: deck.category,
        subject: '*any',
        activationTime: deck.activationTime,
        ratingPlan: deck.ratingPlanId,
      },
    ],
  };
}

function nativeRate(rate: DeckRate): RateDocument {
  return {
    id: rate.id,
    ...(rate.connectFee === '0' ? {} : { connectFee: rate.connectFee }),
    groups: rate.groups.map((group) => ({
      from: `${group.fromSeconds}s`,
      price: group.price,
      per: `${group.perSeconds}s`,
      increment: `${group.incrementSeconds}s`,
    })),
  };
}
