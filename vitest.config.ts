import { defineConfig } from 'vitest/config';
import { checkSharedReference, referenceTestFiles } from './test/support/shared-reference.js';

// Tests that compare against shared/reference need it; elsewhere they are skipped with a notice (not in CI).
const exclude = checkSharedReference() ? [] : referenceTestFiles;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...exclude],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time. Vitest's default in a run is one worker fewer than the cores (one on a 2-core machine),
    // and most files spend their time waiting on servers, databases and child processes, not on the CPU.
    maxWorkers: 2,
    // Memory tests collect garbage before they read what a run holds, so the collector's timing cannot fail them.
    execArgv: ['--expose-gc'],
  },
});
