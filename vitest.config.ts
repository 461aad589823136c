import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['tollgate-source'] },
  ssr: { resolve: { conditions: ['tollgate-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
