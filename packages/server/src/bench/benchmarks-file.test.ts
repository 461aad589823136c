import { describe, expect, it } from 'vitest';
import { replaceSection } from './benchmarks-file.js';

describe('replaceSection', () => {
  const file = '# Benchmarks\n\nIntro.\n\n## rating\n\nold figures\n\n## ingest\n\nkept\n';

  it('rewrites only its own section', () => {
    expect(replaceSection(file, 'rating', '## rating\n\nnew figures\n')).toBe(
      '# Benchmarks\n\nIntro.\n\n## rating\n\nnew figures\n\n## ingest\n\nkept\n',
    );
  });

  it('rewrites the last section up to the end of the file', () => {
    expect(replaceSection(file, 'ingest', '## ingest\n\nnew\n')).toBe(
      '# Benchmarks\n\nIntro.\n\n## rating\n\nold figures\n\n## ingest\n\nnew\n',
    );
  });

  it('appends a section the file does not have', () => {
    expect(replaceSection('# Benchmarks\n\nIntro.\n', 'rating', '## rating\n\nfigures\n')).toBe(
      '# Benchmarks\n\nIntro.\n\n## rating\n\nfigures\n',
    );
  });
});
