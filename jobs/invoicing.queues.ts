import type { QueueSpec } from './queues.js'

// Queues of invoicing (domain/invoicing); spread into QUEUES (queues.ts).
export const INVOICING_QUEUES = [
  {
    // One job per issued invoice (singletonKey = its id), enqueued in the issuing
    // transaction: draws the PDF once and stores it (domain/invoicing/invoice-pdf.ts).
    // A crashed render is retried; a second run finds the PDF stored and does nothing.
    name: 'invoicing.render-pdf',
    policy: 'stately',
    retryLimit: 5,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 120,
  },
  {
    // Daily at 09:00 Paris: J-3, J+7 and J+30 reminders (domain/invoicing/dunning.ts).
    // Each (invoice, stage) is claimed once, so a run twice or after a crash sends nothing twice.
    name: 'invoicing.dunning',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    schedule: { cron: '0 9 * * *', data: {}, singletonKey: 'all' },
  },
  {
    // Daily at 06:00 Paris, before the day's work: due contract billing items become
    // invoices (domain/invoicing/contract-billing.ts); each item billed once, even run twice.
    name: 'invoicing.contract-billing',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    schedule: { cron: '0 6 * * *', data: {}, singletonKey: 'all' },
  },
] as const satisfies readonly QueueSpec[]
