// Test-only switch: ALFORIS_CRASH_AT=<step> kills the process (SIGKILL, as the OOM killer
// or `kill -9` would) in the middle of that seed step, after some of its rows were
// written and before they are committed. The crash tests (seed/seed-resume.test.ts) use
// it to prove the next start completes the demo. Ignored in production.

export const CRASH_STEPS = ['identity', 'organisations', 'contacts', 'deals', 'activities', 'statuses', 'goals', 'invoices'] as const
export type CrashStep = (typeof CRASH_STEPS)[number]

export function crashPoint(step: CrashStep): void {
  if (process.env.ALFORIS_CRASH_AT !== step || process.env.NODE_ENV === 'production') return
  process.kill(process.pid, 'SIGKILL')
}
