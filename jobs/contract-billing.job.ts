import { invoiceDueBillingItems } from '../domain/invoicing/contract-billing.js'
import type { InvoiceJobs } from '../domain/invoicing/invoice.commands.js'
import type { JobDefinition } from './job.js'

// invoicing.contract-billing: the daily pass that turns due contract billing items into
// invoices (domain/invoicing/contract-billing.ts). Each item is billed in its own
// transaction with its "facturé" mark, so a rerun or a retry after a crash bills nothing twice.

/** `now` (ISO) only for tests and replays: the pass as if run at that instant. */
export type ContractBillingData = { workspaceId?: string; now?: string }

export const contractBillingJob: JobDefinition<ContractBillingData> = {
  queue: 'invoicing.contract-billing',
  async handle(data, deps) {
    const now = data.now ? new Date(data.now) : new Date()
    if (Number.isNaN(now.getTime())) throw new Error(`invoicing.contract-billing: invalid now ${data.now}`)
    const jobs: InvoiceJobs = { send: (queue, job, opts) => deps.send(queue, job, opts as never) }
    const r = await invoiceDueBillingItems(deps.db, jobs, now, { workspaceId: data.workspaceId })
    if (r.invoiced.length) deps.log(`invoicing.contract-billing: ${r.invoiced.length} factures d’échéances`)
    for (const f of r.issueFailed) deps.log(`invoicing.contract-billing: facture ${f.invoiceId} laissée en brouillon (${f.reason})`)
    return { invoiced: r.invoiced.length, issueFailed: r.issueFailed.length }
  },
}
