import { formatMib, formatSeconds } from './format-figures.js';
import type { RunInfo } from './machine-info.js';
import type { Figure, Workload, WorkloadReport } from './workload.js';

/** The report for a terminal: aligned columns, no markup. */
export function renderText(workload: Workload, run: RunInfo, report: WorkloadReport): string {
  const facts = [...runFacts(run), ...report.parameters];
  const figureRows = report.figures.map((f) => [f.name, f.value, f.target ?? '', verdict(f)]);
  const phaseRows = report.phases.map((p) => [
    p.phase,
    formatSeconds(p.elapsedMs),
    formatMib(p.rssBytes),
    formatMib(p.heapUsedBytes),
  ]);
  return [
    `${workload.name}: ${workload.description}`,
    '',
    ...alignColumns(facts.map(([label, value]) => [label, value])),
    '',
    ...alignColumns([['figure', 'value', 'target', 'result'], ...figureRows]),
    '',
    ...alignColumns([['phase', 'wall time', 'peak rss', 'peak heap used'], ...phaseRows]),
    '',
    ...report.notes.map((note) => `- ${note}`),
  ]
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}

/** The workload's section of BENCHMARKS.md, starting with its `## name` heading. */
export function renderMarkdown(workload: Workload, run: RunInfo, report: WorkloadReport): string {
  const facts = [...runFacts(run), ...report.parameters];
  return [
    `## ${workload.name}`,
    '',
    `${workload.description}.`,
    '',
    ...facts.map(
      ([label, value]) =>
        `- ${label}: ${label === 'command' || label === 'node flags' ? `\`${value}\`` : value}`,
    ),
    '',
    '| Figure | Value | Target | Result |',
    '|---|---|---|---|',
    ...report.figures.map((f) => `| ${f.name} | ${f.value} | ${f.target ?? ''} | ${verdict(f)} |`),
    '',
    '| Phase | Wall time | Peak RSS | Peak heap used |',
    '|---|---|---|---|',
    ...report.phases.map(
      (p) =>
        `| ${p.phase} | ${formatSeconds(p.elapsedMs)} | ${formatMib(p.rssBytes)} | ${formatMib(p.heapUsedBytes)} |`,
    ),
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}

function runFacts(run: RunInfo): [string, string][] {
  return [
    ['date', run.date],
    ['machine', run.machine],
    ['node', run.node],
    ['node flags', run.nodeFlags],
    ['command', run.command],
  ];
}

function verdict(figure: Figure): string {
  if (figure.pass === undefined) return '';
  if (figure.kind === 'check') return figure.pass ? 'OK' : 'FAILED';
  return figure.pass ? 'PASS' : 'MISS';
}

function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
