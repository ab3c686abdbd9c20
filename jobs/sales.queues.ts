import type { QueueSpec } from './queues.js'

// Queues of Quotes and invoices (issue 5); spread into QUEUES (queues.ts).
export const SALES_QUEUES = [
  {
    // Daily at 00:15 Paris, the first minutes of the day after a quote's last valid day
    // (domain/sales/quote.commands.ts expireQuotes). One pass at a time (singletonKey).
    name: 'sales.expire-quotes',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    schedule: { cron: '15 0 * * *', data: {}, singletonKey: 'all' },
  },
] as const satisfies readonly QueueSpec[]
