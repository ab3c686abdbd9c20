import { appUrl } from '../domain/shared/app-url.js'
import { outboundPolicyFromEnv } from '../domain/shared/outbound-http/outbound-policy.js'
import type { EngineDeps } from '../domain/workflows/engine/engine-deps.js'
import { runInactivityPass, runScheduleTick } from '../domain/workflows/engine/triggers.js'
import type { JobDefinition, JobDeps } from './job.js'

/** The engine's dependencies inside a job handler (real clock, the outbound switches of the environment). */
export function engineDepsFromJob(deps: JobDeps): EngineDeps {
  return {
    db: deps.db,
    queue: { send: (q, d, o) => deps.send(q, d, o) },
    mail: { send: (q, d, o) => deps.send(q, d, o) },
    now: () => new Date(),
    appUrl: appUrl(),
    outbound: { policy: outboundPolicyFromEnv() },
    log: deps.log,
  }
}

// Handlers of the queues in workflows.queues.ts; spread into WORKERS (workers.ts).
// `workflows.run` is worked by jobs/workflows-engine.ts with a larger batch and concurrency.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of handlers with different payload types; each handler is typed where it is defined
export const WORKFLOW_WORKERS: readonly JobDefinition<any>[] = [
  { queue: 'workflows.inactivity', handle: (_data, deps) => runInactivityPass(engineDepsFromJob(deps)) },
  { queue: 'workflows.schedule', handle: (_data, deps) => runScheduleTick(engineDepsFromJob(deps)) },
]
