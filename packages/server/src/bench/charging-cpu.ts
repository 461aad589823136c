import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Linux clock ticks per second (USER_HZ), 100 on every mainstream kernel. */
const TICKS_PER_S = 100;

/** CPU seconds used so far by the bench, the server child and every `postgres` process. */
interface CpuReading {
  readonly atMs: number;
  readonly bench: number;
  readonly server: number;
  readonly postgres: number;
}

/** Where the machine's CPU went between two readings, in % of one core each. */
export interface CpuShares {
  readonly bench: number;
  readonly server: number;
  readonly postgres: number;
}

/** Reads /proc: on other systems every share is 0. */
export function readCpu(serverPid: number | undefined): CpuReading {
  const usage = process.cpuUsage();
  return {
    atMs: performance.now(),
    bench: (usage.user + usage.system) / 1e6,
    server: serverPid === undefined ? 0 : (processCpuSeconds(serverPid) ?? 0),
    postgres: postgresCpuSeconds(),
  };
}

export function cpuShares(from: CpuReading, to: CpuReading): CpuShares {
  const wallS = (to.atMs - from.atMs) / 1000;
  const share = (a: number, b: number) => Math.round(((b - a) / wallS) * 100);
  return {
    bench: share(from.bench, to.bench),
    server: share(from.server, to.server),
    postgres: share(from.postgres, to.postgres),
  };
}

export function describeCpu(shares: CpuShares): string {
  return `CPU: bench ${shares.bench} %, server ${shares.server} %, postgres ${shares.postgres} % (of one core; 2 cores = 200 %)`;
}

function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** Processes come and go (backends of a pool); those that ended in between are not counted. */
function postgresCpuSeconds(): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    total += processCpuSeconds(Number(entry)) ?? 0;
  }
  return total;
}
