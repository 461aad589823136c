#!/usr/bin/env node
import { writeBenchmarkSection } from './benchmarks-file.js';
import { describeRun } from './machine-info.js';
import { BENCH_USAGE, type BenchArgs, parseBenchArgs } from './parse-bench-args.js';
import { renderMarkdown, renderText } from './render-report.js';
import { gcExposed } from './run-phase.js';
import { WORKLOADS } from './workloads.js';

/** The repository root's BENCHMARKS.md, from packages/server/{src,dist}/bench/. */
const BENCHMARKS_FILE = new URL('../../../../BENCHMARKS.md', import.meta.url);

const parsed = parseBenchArgs(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`${parsed.error}\n${BENCH_USAGE}`);
  process.exitCode = 2;
} else if (parsed.value.help) {
  console.log(BENCH_USAGE);
} else {
  await runBench(parsed.value);
}

async function runBench(args: BenchArgs): Promise<void> {
  const unknown = args.workloads.filter((name) => !WORKLOADS.some((w) => w.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown workload ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  if (!gcExposed())
    console.error('warning: run with node --expose-gc (npm run bench does) for per-phase memory peaks');
  const selected =
    args.workloads.length === 0
      ? WORKLOADS
      : args.workloads.map((name) => WORKLOADS.find((w) => w.name === name)!);
  const given = process.argv.slice(2);
  const command = given.length === 0 ? 'npm run bench' : ['npm run bench --', ...given].join(' ');
  for (const workload of selected) {
    console.log(`running ${workload.name} ...`);
    const run = describeRun(command);
    const report = await workload.run(args.options);
    console.log(renderText(workload, run, report));
    await writeBenchmarkSection(BENCHMARKS_FILE, workload.name, renderMarkdown(workload, run, report));
    console.log(`\n  wrote the "## ${workload.name}" section of ${BENCHMARKS_FILE.pathname}`);
    // Wrong results fail the run; a missed timing target does not (it depends on the machine).
    if (report.figures.some((figure) => figure.kind === 'check' && figure.pass === false))
      process.exitCode = 1;
  }
}
