import { readFile, writeFile } from 'node:fs/promises';

const FILE_HEADER = `# Benchmarks

Figures measured by \`npm run bench -- <workload>\` (code in packages/server/src/bench/, one file per
workload). Each run rewrites its workload's section below with the date, machine, Node version,
exact command, seed and sizes, so runs can be compared; where a baseline exists it is measured in
the same run and the figure is given as a ratio to it. Targets say PASS or MISS; timings never gate
\`npm test\` (DESIGN.md section 9). Sections of other workloads are left as they are.
`;

/**
 * Replaces the \`## name\` section of the benchmarks file (from its heading to the next \`## \`
 * heading), or appends it; creates the file with its header when there is none.
 */
export async function writeBenchmarkSection(
  path: string | URL,
  name: string,
  section: string,
): Promise<void> {
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return FILE_HEADER;
    throw error;
  });
  await writeFile(path, replaceSection(existing, name, section));
}

export function replaceSection(text: string, name: string, section: string): string {
  const lines = text.split('\n');
  const heading = `## ${name}`;
  const start = lines.findIndex((line) => line.trim() === heading);
  const body = section.trimEnd().split('\n');
  const next = start < 0 ? -1 : lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const before = trimBlankEnd(start < 0 ? lines : lines.slice(0, start));
  const after = next < 0 ? [] : ['', ...lines.slice(next)];
  const joined = [...before, ...(before.length > 0 ? [''] : []), ...body, ...after];
  return `${joined.join('\n').trimEnd()}\n`;
}

function trimBlankEnd(lines: readonly string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(0, end);
}
