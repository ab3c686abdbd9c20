import type { QueueSpec } from './queues.js'

// Queues of e-mail campaigns (issue 20); spread into QUEUES (queues.ts).
export const CAMPAIGN_QUEUES = [
  {
    // One slice of one campaign (domain/campaigns/send-engine.ts), singletonKey = the
    // campaign id: 'stately' keeps one running and one waiting per campaign, so a slice
    // can enqueue the next while it finishes. A slice lasts under a minute; a worker that
    // dies mid-slice is expired and retried, and the retry re-sends the pending batch
    // under its Idempotency-Key (nothing twice). Provider outages back off from 30 s.
    name: 'campaigns.send',
    policy: 'stately',
    retryLimit: 10,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 5 * 60,
  },
] as const satisfies readonly QueueSpec[]
