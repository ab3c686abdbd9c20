import type { QueueSpec } from './queues.js'

// Queues of contracts and renewals (issue 18); spread into QUEUES (queues.ts).
export const CONTRACT_QUEUES = [
  {
    // Daily at 06:00 Paris (domain/contracts/contract-renewals.ts): J-90/J-60/J-30 alerts,
    // end-of-term renewal or expiry, billing items come due. Claims and per-term commands
    // make a second run (retry, restart) change nothing; a contract whose step failed is
    // recorded, the job fails and pg-boss retries it.
    name: 'contracts.renewals',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
    schedule: { cron: '0 6 * * *', data: {}, singletonKey: 'all' },
  },
] as const satisfies readonly QueueSpec[]
