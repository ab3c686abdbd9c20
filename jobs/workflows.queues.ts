import type { QueueSpec } from './queues.js'

// Queues of Workflows (issue 7); spread into QUEUES (queues.ts).
export const WORKFLOW_QUEUES = [
] as const satisfies readonly QueueSpec[]
