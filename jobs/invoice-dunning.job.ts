import type { MailQueue } from '../domain/mail/enqueue-email.js'
import { runDunning } from '../domain/invoicing/dunning.js'
import type { JobDefinition } from './job.js'

// invoicing.dunning: the daily reminder pass. Invoices that failed stay unclaimed and
// the job throws, so pg-boss retries them; the others are not reminded again.

/** `now` (ISO) only for tests and replays: the pass as if run at that instant. */
export type DunningData = { workspaceId?: string; now?: string }

export const invoiceDunningJob: JobDefinition<DunningData> = {
  queue: 'invoicing.dunning',
  async handle(data, deps) {
    const now = data.now ? new Date(data.now) : new Date()
    if (Number.isNaN(now.getTime())) throw new Error(`invoicing.dunning: invalid now ${data.now}`)
    const mail: MailQueue = { send: (queue, job, opts) => deps.send(queue, job, opts as never) }
    const { sent } = await runDunning(deps.db, mail, now, { workspaceId: data.workspaceId })
    if (sent.length) deps.log(`invoicing.dunning: ${sent.length} relances`)
    return { sent: sent.length }
  },
}
