import { defineConfig } from 'vitest/config'
import tsconfigPaths from 'vite-tsconfig-paths'

// Without the Remix and PWA plugins. `forks`: chDB binds one data dir per process and
// segfaults when two threads of one process open it.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ['{app,domain,db,projections,jobs,seed,runtime,testing,e2e}/**/*.test.{ts,tsx}'],
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits on a condition; its 1 s default is shorter than a React re-render on a
    // loaded 2-core CI machine (the workflow canvas after a save), so it gets the same margin as
    // the e2e waits. A passing condition still returns at the first poll.
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
})
