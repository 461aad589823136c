import { Presets, SingleBar } from 'cli-progress';
import type { IngestProgress } from '../mediation/ingest-usage-file.js';

export interface IngestProgressView {
  update(progress: IngestProgress): void;
  stop(): void;
}

/**
 * Progress of one file on stderr: a bar with records/s and ETA (by bytes read) on a terminal,
 * a plain line every few seconds otherwise, so logs of long runs show they are alive.
 */
export function ingestProgress(
  fileName: string,
  sizeBytes: number,
  plainEveryMs: number,
): IngestProgressView {
  const startedMs = performance.now();
  const rate = (records: bigint) => {
    const seconds = (performance.now() - startedMs) / 1000;
    return seconds > 0 ? Math.round(Number(records) / seconds) : 0;
  };
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: `${fileName} [{bar}] {percentage}% | {records} records | {speed} records/s | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(Math.max(sizeBytes, 1), 0, { records: 0, speed: 0 });
    return {
      update: (p) =>
        bar.update(p.bytesRead, { records: p.counts.read.toString(), speed: rate(p.counts.read) }),
      stop: () => bar.stop(),
    };
  }
  let lastLineMs = startedMs;
  return {
    update(p) {
      const now = performance.now();
      if (now - lastLineMs < plainEveryMs) return;
      lastLineMs = now;
      const share = sizeBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / sizeBytes) * 100)) : 100;
      const speed = rate(p.counts.read);
      const etaSeconds =
        p.bytesRead > 0 ? Math.round(((now - startedMs) / 1000) * (sizeBytes / p.bytesRead - 1)) : 0;
      console.error(
        `${fileName}: ${share}% ${p.counts.read} records, ${speed} records/s, ETA ${etaSeconds} s`,
      );
    },
    stop: () => {},
  };
}
