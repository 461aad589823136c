import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../../..');
const MAIN = resolve(here, '../src/cli/main.ts');

/** The CGRateS conformance plans live beside the repository, not in it; tests skip without them. */
export const CGRATES_CONFORMANCE = resolve(REPO_ROOT, '../shared/conformance/cgrates');
export const HAS_CONFORMANCE = existsSync(resolve(CGRATES_CONFORMANCE, 'tutorial2/Rates.csv'));
export const CONFORMANCE_SKIP_REASON = `skipped: ${CGRATES_CONFORMANCE} is absent (the shared conformance data is not in a user's clone)`;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `tollgate` CLI from source in a child process, as a user would. */
export function runCli(args: readonly string[], stdin?: string): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=tollgate-source', '--import', 'tsx', MAIN, ...args],
      {
        cwd: REPO_ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
