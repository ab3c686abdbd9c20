import type { QueueSpec } from './queues.js'

// Queues of the win probability (issue 19); spread into QUEUES (queues.ts).
export const SCORING_QUEUES = [
  {
    // Nightly at 02:30 Paris (after the day's activity), and on demand by an admin
    // ({ workspaceId }). One training at a time: it is CPU-bound (≈ 45 s CPU at 80k rows).
    name: 'scoring.train-win-model',
    policy: 'stately',
    retryLimit: 2,
    retryDelay: 600,
    retryBackoff: true,
    expireInSeconds: 60 * 60,
    schedule: { cron: '30 2 * * *', data: {}, singletonKey: 'all' },
  },
] as const satisfies readonly QueueSpec[]
