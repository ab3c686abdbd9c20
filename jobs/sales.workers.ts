import { expireQuotesJob } from './expire-quotes.job.js'
import type { JobDefinition } from './job.js'

// Handlers of the queues in sales.queues.ts; spread into WORKERS (workers.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of handlers with different payload types; each handler is typed where it is defined
export const SALES_WORKERS: readonly JobDefinition<any>[] = [expireQuotesJob]
