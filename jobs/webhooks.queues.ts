import type { QueueSpec } from './queues.js'

// Queues of the outbound webhooks (issue 23); spread into QUEUES (queues.ts).
export const WEBHOOK_QUEUES = [
  {
    // One job is one attempt of one delivery (domain/webhooks/deliver.ts). The retries of
    // a failed send (1 min, 10 min, 1 h) are new jobs the engine schedules itself; pg-boss
    // retries only a job that crashed outright (database down), and the attempt number
    // claimed in the delivery row keeps that from sending twice.
    name: 'webhooks.deliver',
    policy: 'standard',
    retryLimit: 3,
    retryDelay: 15,
    retryBackoff: true,
    expireInSeconds: 2 * 60,
  },
] as const satisfies readonly QueueSpec[]
