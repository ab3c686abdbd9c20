import type { QueueSpec } from './queues.js'

// Queues of Workflows (issue 7); spread into QUEUES (queues.ts).
export const WORKFLOW_QUEUES = [
  {
    // One job continues one run (domain/workflows/engine/execute.ts). A step's failures are
    // retried by the engine itself (a new job per attempt, backoff 10 s, 20 s, 40 s, then
    // the run is failed and shown); pg-boss retries only a job that crashed outright
    // (database down), which resumes at the step that did not commit.
    name: 'workflows.run',
    policy: 'standard',
    retryLimit: 5,
    retryDelay: 15,
    retryBackoff: true,
    expireInSeconds: 5 * 60,
  },
  {
    // Inactivity triggers: one run per record and period without activity (the period's
    // key is unique per workflow, so a pass run twice or after a restart fires nothing twice).
    name: 'workflows.inactivity',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
    expireInSeconds: 10 * 60,
    schedule: { cron: '*/15 * * * *', data: {}, singletonKey: 'all' },
  },
  {
    // Cron-triggered workflows (Europe/Paris): the minute tick starts each due time once.
    name: 'workflows.schedule',
    policy: 'stately',
    retryLimit: 2,
    retryDelay: 10,
    retryBackoff: false,
    expireInSeconds: 120,
    schedule: { cron: '* * * * *', data: {}, singletonKey: 'all' },
  },
] as const satisfies readonly QueueSpec[]
