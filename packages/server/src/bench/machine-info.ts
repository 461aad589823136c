import { cpus, release, totalmem, type } from 'node:os';

/** Where and how a run was made: figures mean little without it. */
export interface RunInfo {
  readonly date: string;
  readonly machine: string;
  readonly node: string;
  /** The options node itself was started with (process.execArgv): they change the figures. */
  readonly nodeFlags: string;
  readonly command: string;
}

const GIB = 1024 ** 3;

export function describeRun(command: string): RunInfo {
  const processors = cpus();
  const model = processors[0]?.model.trim() ?? 'unknown CPU';
  const memoryGib = (totalmem() / GIB).toFixed(1);
  return {
    date: new Date().toISOString(),
    machine: `${model}, ${processors.length} cores, ${memoryGib} GiB memory, ${type()} ${release()}`,
    node: process.version,
    nodeFlags: process.execArgv.length === 0 ? 'none' : process.execArgv.join(' '),
    command,
  };
}
