import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two files at a time (vitest's default on 2 cores is one): the suite's part of `.ci/run`
    // went from 13.3 to 9.8 minutes on a 2-core machine.
    maxWorkers: 2,
    // A bound, not a measure: some tests run twenty dtm processes in a row, ~1 s each on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
