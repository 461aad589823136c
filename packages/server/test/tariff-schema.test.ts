import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tariffJsonSchema } from '../src/cli/tariff-commands.js';
import { REPO_ROOT } from './run-cli.js';

describe('published tariff JSON Schema', () => {
  it('docs/schema/tariff.schema.json matches the schema the code validates with (regenerate: npx tollgate tariff schema)', async () => {
    const published = await readFile(join(REPO_ROOT, 'docs/schema/tariff.schema.json'), 'utf8');
    expect(published).toBe(tariffJsonSchema());
  });
});
