import type { EngineDeps } from '../../domain/workflows/engine/engine-deps.js'
import { startJobs, type Jobs } from '../../jobs/boss.js'
import { engineDeps } from '../../jobs/workflows-engine.js'
import type { TestApp } from './app-server.js'

/**
 * pg-boss in "send" mode on a test app's database, and the engine's dependencies: the
 * test hands the runs to the engine itself (drainWorkflows), as its workers would, so it
 * never waits on timers.
 */
export async function startWorkflowEngine(app: TestApp): Promise<{ jobs: Jobs; engine: EngineDeps }> {
  const jobs = await startJobs({ db: app.rt.db, ch: app.rt.ch, databaseUrl: app.rt.databaseUrl, work: false, log: () => {} })
  return { jobs, engine: engineDeps({ db: app.rt.db, jobs, log: () => {} }) }
}
