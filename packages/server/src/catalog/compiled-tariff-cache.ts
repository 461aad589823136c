import { type CompiledTariff, compileTariff, type TariffDocument } from '@tollgate/core';

/** Large decks compile to tens of megabytes; a handful in memory serves a tenant's hot tariffs. */
export const DEFAULT_COMPILED_TARIFF_CAPACITY = 16;

/**
 * Compiled tariffs by tariff version id, least recently used evicted first. Versions are
 * immutable (the database refuses to change them), so an entry can never be stale: the database
 * stays the source of truth and each process only saves itself the compilation. Concurrent
 * misses on one version share a single load.
 */
export class CompiledTariffCache {
  readonly #entries = new Map<string, Promise<CompiledTariff>>();

  constructor(readonly capacity = DEFAULT_COMPILED_TARIFF_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`bad cache capacity ${capacity}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  has(versionId: string): boolean {
    return this.#entries.has(versionId);
  }

  /** The compiled version, loading and compiling its document on a miss. */
  async get(versionId: string, load: () => Promise<TariffDocument>): Promise<CompiledTariff> {
    const cached = this.#entries.get(versionId);
    if (cached !== undefined) {
      this.#touch(versionId, cached);
      return cached;
    }
    const loading = load().then((document) => compileStored(versionId, document));
    this.#touch(versionId, loading);
    // A failed load is not remembered: the next request tries again.
    loading.catch(() => {
      if (this.#entries.get(versionId) === loading) this.#entries.delete(versionId);
    });
    return loading;
  }

  /** Remembers a tariff compiled elsewhere (e.g. just validated before it was stored). */
  put(versionId: string, compiled: CompiledTariff): void {
    this.#touch(versionId, Promise.resolve(compiled));
  }

  clear(): void {
    this.#entries.clear();
  }

  #touch(versionId: string, entry: Promise<CompiledTariff>): void {
    // A Map iterates in insertion order: re-inserting moves the entry to the most recent end.
    this.#entries.delete(versionId);
    this.#entries.set(versionId, entry);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

/** Stored documents were compiled before they were stored, so a failure here is a bug. */
function compileStored(versionId: string, document: TariffDocument): CompiledTariff {
  const compiled = compileTariff(document);
  if (!compiled.ok) {
    const first = compiled.error[0];
    throw new Error(
      `stored tariff version ${versionId} no longer compiles: ${first?.path} ${first?.code} ${first?.message}`,
    );
  }
  return compiled.value;
}

/** The process's cache, shared by every request. */
export const compiledTariffCache = new CompiledTariffCache();

/**
 * Keeps a just-stored version's compilation when it applies already, so its first quote does not
 * compile again; a version that activates later would only push a hot tariff out meanwhile.
 */
export function rememberCompiled(
  version: { readonly id: string; readonly activatesAt: string },
  compiled: CompiledTariff,
  now: Date,
): void {
  if (Date.parse(version.activatesAt) <= now.getTime()) compiledTariffCache.put(version.id, compiled);
}
