import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Tests that assert how fast something happens (acks, pacing): run after the rest, alone on the machine. */
const timing = ['test/adapters/slack-http.test.ts', 'test/unit/pacer.test.ts'];

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks',
  // Test files in one worker share loaded modules (Bolt, discord.js, drizzle, PGlite's WebAssembly) instead
  // of loading them again for each file; every test still gets a database of its own.
  isolate: false,
} as const;

export default defineConfig({
  test: {
    // Migrates once for the whole run, on PGlite or on TEST_DATABASE_URL; every project reads what it provides.
    globalSetup: ['test/helpers/global-setup.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'tests',
          include: ['test/**/*.test.ts'],
          // The reliability suite is slow on purpose: `npm run test:reliability`.
          exclude: ['test/reliability/**', 'node_modules/**', ...timing],
          // Vitest's default is one worker fewer than the CPUs: a single worker on a 2-core CI machine, which
          // leaves a core idle while tests wait on databases, child processes and sockets. At least two.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'timing',
          include: timing,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
