import type { ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(lines: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/**
 * A progress bar on stderr for long file work: share of the file read, lines, lines per second and
 * ETA. Only on a terminal: scripts reading stderr get the summary line, not redraws.
 */
export async function fileProgress(
  input: ReadStream | NodeJS.ReadableStream,
  path: string,
): Promise<Progress> {
  if (!process.stderr.isTTY || path === '-') return SILENT;
  const totalBytes = (await stat(path)).size;
  const startedMs = performance.now();
  const bar = new SingleBar(
    {
      format: 'rating [{bar}] {percentage}% | {lines} lines | {speed} lines/s | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { lines: 0, speed: 0 });
  return {
    update(lines) {
      const seconds = (performance.now() - startedMs) / 1000;
      const bytesRead = (input as ReadStream).bytesRead ?? 0;
      bar.update(bytesRead, { lines, speed: seconds > 0 ? Math.round(lines / seconds) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}
