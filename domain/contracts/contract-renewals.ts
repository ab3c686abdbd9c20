import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { Contract, ContractAlertKind } from '../../db/schema.js'
import { enqueueEmail, InvalidEmailError, type MailQueue } from '../mail/enqueue-email.js'
import { notify } from '../notifications/notify.js'
import { preferencesFor } from '../notifications/preferences.js'
import type { CommandContext } from '../shared/events.js'
import { formatEuros } from '../shared/money.js'
import { addDays, daysBetween, parisDay } from '../shared/paris-time.js'
import { noticeDeadline } from './contract-dates.js'
import { closeTermCommand, markRenewalDueCommand } from './contract.commands.js'
import { PERIOD_LABELS } from './contract.js'
import { writeBillingItems } from './billing-items.js'

// The nightly renewal pass (jobs/contract-renewals.job.ts, 06:00 Europe/Paris). For each
// running contract: the alert J-90, J-60 or J-30 before the date that matters (the end,
// or with tacit renewal the last day to terminate), each ONCE per contract and term — a
// pass claims (contract, term, kind) in contract_alerts_sent in the transaction that
// notifies and enqueues the e-mails, so a second pass, concurrent or after a crash, finds
// it taken; then the end of term (renewal or expiry, by a command that is a no-op for a
// term already closed); then the billing items that have come due. A contract whose step
// fails is recorded as "échec" (contract_renewal_steps, shown on its page) and retried by
// the next pass; the others go on.

export const ALERT_DAYS: Record<ContractAlertKind, number> = { j90: 90, j60: 60, j30: 30 }

/** The date that matters for renewal: the last day to terminate with tacit renewal, else the end. */
export const renewalDeadline = (c: Pick<Contract, 'end_date' | 'tacit_renewal' | 'notice_months'>) =>
  c.tacit_renewal ? noticeDeadline(c.end_date, c.notice_months) : c.end_date

/** The alert due on `today` for a deadline, if any (only the latest window: a missed J-90 is not sent at J-45). */
export function alertKindFor(deadline: string, today: string): ContractAlertKind | null {
  const d = daysBetween(today, deadline)
  if (d < 0) return null
  if (d <= 30) return 'j30'
  if (d <= 60) return 'j60'
  if (d <= 90) return 'j90'
  return null
}

export type RenewalPassResult = {
  alerts: { contractId: string; kind: ContractAlertKind; ownerEmail: boolean; clientEmail: boolean }[]
  closed: { contractId: string; outcome: 'renouvele' | 'expire' }[]
  billingItems: number
  failed: { contractId: string; step: string; error: string }[]
}

const dayFmt = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const dayLabel = (day: string) => dayFmt.format(new Date(`${day}T00:00:00Z`))

async function recordStep(db: Db, c: Pick<Contract, 'id' | 'workspace_id' | 'period_index'>, step: string, ok: boolean, detail: string | null, now: Date) {
  await db
    .insertInto('contract_renewal_steps')
    .values({ workspace_id: c.workspace_id, contract_id: c.id, period_index: c.period_index, step, status: ok ? 'fait' : 'echec', detail, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['contract_id', 'period_index', 'step']).doUpdateSet({
        status: ok ? 'fait' : 'echec',
        detail,
        updated_at: now,
        attempts: sql`contract_renewal_steps.attempts + 1`,
      }),
    )
    .execute()
}

/**
 * One pass at `now` over every running contract (or one workspace's). Safe to run twice,
 * at once or after a crash.
 *
 * @example await runRenewalPass(db, runtime.jobs, new Date()) // { alerts: [...], closed: [...], billingItems: 3, failed: [] }
 */
export async function runRenewalPass(
  db: Db,
  mail: MailQueue | null,
  now: Date,
  opts: { workspaceId?: string; batch?: number } = {},
): Promise<RenewalPassResult> {
  const result: RenewalPassResult = { alerts: [], closed: [], billingItems: 0, failed: [] }
  const today = parisDay(now)
  const horizon = addDays(today, 91)
  const batch = opts.batch ?? 2000
  let after = ''
  for (;;) {
    let q = db
      .selectFrom('contracts')
      .selectAll()
      .where('status', 'in', ['actif', 'a_renouveler'])
      .where('id', '>', after || '00000000-0000-0000-0000-000000000000')
      .orderBy('id')
      .limit(batch)
    if (opts.workspaceId) q = q.where('workspace_id', '=', opts.workspaceId)
    const rows = await q.execute()
    if (!rows.length) break
    after = rows[rows.length - 1].id
    for (const c of rows) await passOne(db, mail, c, today, horizon, now, result)
  }
  return result
}

async function passOne(db: Db, mail: MailQueue | null, c: Contract, today: string, horizon: string, now: Date, result: RenewalPassResult) {
  const ctx: CommandContext = { workspaceId: c.workspace_id, actorId: null, now, source: 'job' }
  let current = c
  // 1. The end of term, first: a contract past its end is renewed or expired before anything else.
  if (current.end_date < today) {
    try {
      // A contract several terms behind (the job was stopped) catches up, one term per command.
      for (let i = 0; i < 24 && current.end_date < today && (current.status === 'actif' || current.status === 'a_renouveler'); i++) {
        const r = await closeTermCommand(db, ctx, { id: current.id, periodIndex: current.period_index })
        if (!r.events.length) break
        const renewed = r.events.some((e) => e.type === 'ContractRenewed')
        await recordStep(db, current, 'fin_periode', true, renewed ? 'renouvele' : 'expire', now)
        result.closed.push({ contractId: current.id, outcome: renewed ? 'renouvele' : 'expire' })
        current = r.state!
      }
    } catch (e) {
      await failed(db, current, 'fin_periode', e, now, result)
      return
    }
  }
  // 2. The alert of the day.
  const deadline = renewalDeadline(current)
  if ((current.status === 'actif' || current.status === 'a_renouveler') && deadline <= horizon) {
    const kind = alertKindFor(deadline, today)
    if (kind) {
      try {
        const sent = await alertOnce(db, mail, current, kind, deadline, ctx)
        if (sent) result.alerts.push({ contractId: current.id, kind, ...sent })
      } catch (e) {
        await failed(db, current, kind, e, now, result)
      }
    }
  }
  // 3. Billing items that have come due.
  try {
    result.billingItems += await writeBillingItems(db, current, today, now)
  } catch (e) {
    await failed(db, current, 'facturation', e, now, result)
  }
}

async function failed(db: Db, c: Contract, step: string, e: unknown, now: Date, result: RenewalPassResult) {
  const error = e instanceof Error ? e.message : String(e)
  result.failed.push({ contractId: c.id, step, error })
  await recordStep(db, c, step, false, error.slice(0, 500), now).catch(() => undefined)
}

type Sent = { ownerEmail: boolean; clientEmail: boolean }

async function alertOnce(db: Db, mail: MailQueue | null, c: Contract, kind: ContractAlertKind, deadline: string, ctx: CommandContext): Promise<Sent | null> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('contract_alerts_sent')
      .values({ contract_id: c.id, workspace_id: c.workspace_id, period_index: c.period_index, kind })
      .onConflict((oc) => oc.doNothing())
      .returning('kind')
      .executeTakeFirst()
    if (!claimed) return null
    // The first alert of a term moves the contract to "à renouveler".
    if (c.status === 'actif') await markRenewalDueCommand(trx, ctx, { id: c.id, deadline })
    const [org, owner, contact, company] = await Promise.all([
      trx.selectFrom('organisations').select('name').where('id', '=', c.organisation_id).executeTakeFirst(),
      c.owner_id
        ? trx
            .selectFrom('users')
            .select(['id', 'full_name', 'email'])
            .where('id', '=', c.owner_id)
            .where('workspace_id', '=', c.workspace_id)
            .where('active', '=', true)
            .executeTakeFirst()
        : undefined,
      c.contact_id
        ? trx
            .selectFrom('contacts')
            .select(['first_name', 'last_name', 'emails'])
            .where('id', '=', c.contact_id)
            .where('workspace_id', '=', c.workspace_id)
            .where('deleted_at', 'is', null)
            .executeTakeFirst()
        : undefined,
      trx.selectFrom('workspaces').select('name').where('id', '=', c.workspace_id).executeTakeFirst(),
    ])
    const link = `/contracts/${c.id}`
    const amountLabel = `${formatEuros(c.unit_amount_cents * c.quantity)} (${PERIOD_LABELS[c.amount_period].toLowerCase()})`
    const base = {
      when: kind,
      contractTitle: c.title,
      organisationName: org?.name ?? '',
      endLabel: dayLabel(c.end_date),
      deadlineLabel: c.tacit_renewal ? dayLabel(deadline) : null,
      amountLabel,
      tacitRenewal: c.tacit_renewal,
      company: company?.name ?? 'Alforis CRM',
      link,
    }
    const sent: Sent = { ownerEmail: false, clientEmail: false }
    const key = `contract_${kind}:${c.id}:${c.period_index}`
    if (owner) {
      await notify(trx, {
        workspaceId: c.workspace_id,
        userId: owner.id,
        kind: 'contract_renewal',
        title: kind === 'j60' ? `Préparer le renouvellement : ${c.title}` : `Échéance dans ${ALERT_DAYS[kind]} jours : ${c.title}`,
        body: `${org?.name ?? ''} — ${c.tacit_renewal ? `dernier jour pour résilier le ${dayLabel(deadline)}` : `fin le ${dayLabel(c.end_date)}`}.`,
        link,
        dedupKey: key,
        now: ctx.now,
      })
      if ((await preferencesFor(trx, owner.id)).contract_renewal.email) {
        try {
          await enqueueEmail(trx, mail, {
            workspaceId: c.workspace_id,
            to: owner.email,
            template: 'contract_renewal',
            props: { ...base, audience: 'owner', recipientName: owner.full_name },
            idempotencyKey: `${key}:owner`,
          })
          sent.ownerEmail = true
        } catch (e) {
          if (!(e instanceof InvalidEmailError)) throw e
        }
      }
    }
    // J-30: the renewal proposal to the client's contact.
    if (kind === 'j30' && contact?.emails[0]) {
      try {
        await enqueueEmail(trx, mail, {
          workspaceId: c.workspace_id,
          to: contact.emails[0],
          template: 'contract_renewal',
          props: { ...base, audience: 'client', recipientName: [contact.first_name, contact.last_name].filter(Boolean).join(' ') },
          idempotencyKey: `${key}:client`,
          sender: { repName: owner?.full_name ?? null, company: company?.name ?? 'Alforis CRM', replyTo: owner?.email ?? null },
        })
        sent.clientEmail = true
      } catch (e) {
        if (!(e instanceof InvalidEmailError)) throw e
      }
    }
    await recordStep(trx, c, kind, true, null, ctx.now)
    return sent
  })
}
