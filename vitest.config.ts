import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['tollgate-source'] },
  ssr: { resolve: { conditions: ['tollgate-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Set-up opens, migrates and seeds a database; on a busy 2-core machine that can take a while.
    hookTimeout: 60_000,
  },
});
