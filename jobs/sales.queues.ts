import type { QueueSpec } from './queues.js'

// Queues of Quotes and invoices (issue 5); spread into QUEUES (queues.ts).
export const SALES_QUEUES = [
] as const satisfies readonly QueueSpec[]
