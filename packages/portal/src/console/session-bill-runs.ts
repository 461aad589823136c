/**
 * The bill runs started from this browser tab. The API has no list of bill runs (only each run
 * by its id), so the console remembers the ones it started for the session, newest first.
 */
export interface RememberedRun {
  readonly id: string;
  readonly createdAt: string;
  readonly dryRun: boolean;
}

const STORAGE_KEY = 'tollgate.console.billRuns';
const MAX_REMEMBERED = 20;

export function rememberedRuns(): RememberedRun[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter(
          (run): run is RememberedRun =>
            typeof run === 'object' && run !== null && typeof (run as RememberedRun).id === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

export function rememberRun(run: RememberedRun): RememberedRun[] {
  const runs = [run, ...rememberedRuns().filter((r) => r.id !== run.id)].slice(0, MAX_REMEMBERED);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(runs));
  return runs;
}
