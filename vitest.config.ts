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
    // Memory tests collect garbage before they read what a run holds, so the collector's timing cannot fail them.
    execArgv: ['--expose-gc'],
  },
});
