import type { JobDefinition } from './job.js'

// Handlers of the queues in workflows.queues.ts; spread into WORKERS (workers.ts).
export const WORKFLOW_WORKERS: readonly JobDefinition<any>[] = [
]
