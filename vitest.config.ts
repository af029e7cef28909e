import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Temporal dev server, one Postgres and one workflow bundle per run, shared by all files.
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration files run two at a time, each with its own database and task queue.
    maxWorkers: 2,
    pool: 'forks',
  },
});
