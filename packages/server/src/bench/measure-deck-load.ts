import type { CompiledTariff } from '@tollgate/core';
import { formatTariffIssue, loadTariff, type TariffSource } from '../tariffs/load-tariff.js';

export interface DeckLoad {
  readonly tariff: CompiledTariff;
  readonly elapsedMs: number;
  readonly warnings: number;
}

/** Issues quoted when a generated deck does not load: enough to find the bug in the writer. */
const ISSUES_SHOWN = 5;

/**
 * Times what a server does at start-up or on a tariff import: read the file(s), parse, check and
 * compile. The bench generated the deck, so a rejected deck is a bug and throws.
 */
export async function measureDeckLoad(source: TariffSource): Promise<DeckLoad> {
  const startedMs = performance.now();
  const loaded = await loadTariff(source);
  const elapsedMs = performance.now() - startedMs;
  if (!loaded.ok) {
    const shown = loaded.errors.slice(0, ISSUES_SHOWN).map(formatTariffIssue).join('\n');
    throw new Error(
      `the generated ${source.format} deck does not load (${loaded.errors.length} errors):\n${shown}`,
    );
  }
  return { tariff: loaded.tariff, elapsedMs, warnings: loaded.warnings.length };
}
