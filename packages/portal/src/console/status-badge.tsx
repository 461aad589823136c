/** The tone a status reads in, with its text beside the colour (never colour alone). */
export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

const TONES: Readonly<Record<string, Tone>> = {
  active: 'ok',
  paid: 'ok',
  succeeded: 'ok',
  resolved: 'ok',
  done: 'ok',
  invoiced: 'ok',
  loaded: 'ok',
  finalized: 'neutral',
  draft: 'neutral',
  skipped: 'neutral',
  discarded: 'neutral',
  duplicate: 'neutral',
  revoked: 'neutral',
  closed: 'neutral',
  suspended: 'warn',
  paused: 'warn',
  pending: 'warn',
  running: 'warn',
  requires_action: 'warn',
  open: 'warn',
  parked: 'bad',
  failed: 'bad',
  terminated: 'bad',
  void: 'neutral',
  uncollectible: 'bad',
  written_off: 'bad',
  locked: 'bad',
};

/** A status code as words: `requires_action` reads "requires action". */
export function statusText(status: string): string {
  return status.replace(/[_-]+/g, ' ');
}

export function StatusBadge({ status, tone }: { status: string; tone?: Tone | undefined }) {
  return <span className={`badge ${tone ?? TONES[status] ?? 'neutral'}`}>{statusText(status)}</span>;
}
