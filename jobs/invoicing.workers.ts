import { contractBillingJob } from './contract-billing.job.js'
import { invoiceDunningJob } from './invoice-dunning.job.js'
import type { JobDefinition } from './job.js'
import { renderInvoiceJob } from './render-invoice.job.js'

// Handlers of the queues in invoicing.queues.ts; spread into WORKERS (workers.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of handlers with different payload types; each handler is typed where it is defined
export const INVOICING_WORKERS: readonly JobDefinition<any>[] = [renderInvoiceJob, invoiceDunningJob, contractBillingJob]
