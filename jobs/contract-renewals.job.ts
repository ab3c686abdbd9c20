import { runRenewalPass } from '../domain/contracts/contract-renewals.js'
import type { MailQueue } from '../domain/mail/enqueue-email.js'
import type { JobDefinition } from './job.js'

// contracts.renewals: the nightly renewal pass over every workspace, or one.

export const CONTRACT_RENEWALS = 'contracts.renewals' as const

/** `now` (ISO) only for tests and replays: the pass as if run at that instant. */
export type ContractRenewalsData = { workspaceId?: string; now?: string }

export const contractRenewalsJob: JobDefinition<ContractRenewalsData> = {
  queue: CONTRACT_RENEWALS,
  async handle(data, deps) {
    const now = data.now ? new Date(data.now) : new Date()
    if (Number.isNaN(now.getTime())) throw new Error(`contracts.renewals: invalid now ${data.now}`)
    const mail: MailQueue = { send: (queue, job, opts) => deps.send(queue, job, opts as never) }
    const r = await runRenewalPass(deps.db, mail, now, { workspaceId: data.workspaceId })
    if (r.failed.length) {
      throw new Error(`renouvellements en échec (${r.failed.length}) : ${r.failed.map((f) => `${f.contractId} ${f.step} ${f.error}`).join(' ; ')}`)
    }
    return { alerts: r.alerts.length, closed: r.closed.length, billingItems: r.billingItems }
  },
}
