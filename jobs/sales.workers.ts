import { expireQuotesJob } from './expire-quotes.job.js'
import type { JobDefinition } from './job.js'

// Handlers of the queues in sales.queues.ts; spread into WORKERS (workers.ts).
export const SALES_WORKERS: readonly JobDefinition<any>[] = [
  expireQuotesJob,
]
