import { z } from 'zod'
import type { DealEditable, QueuedChange, SyncAnswer } from '~/offline/types'
import { translateProblem } from '~/i18n/errors'
import { changeDealStageCommand, updateDealCommand } from '../../domain/crm/crm.commands'
import { createContactCommand, logActivityCommand } from '../../domain/crm/contact.commands'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { ConcurrencyError, DomainError } from '../../domain/shared/errors'
import { completeTaskCommand, createTaskCommand, updateTaskCommand } from '../../domain/tasks/task.commands'
import type { Auth } from './auth.server'
import { toIsoDate } from './format'
import { findVisibleDeal, findVisibleOrganisation } from './records.server'
import { findVisibleTask } from './tasks.server'

// One change a rep made offline, replayed by app/offline/replay.ts. The same domain
// commands as the pages' forms, with the client's command id: a replay of an id the server
// already took (the tab closed before it heard the answer) changes nothing twice.
// The answer is JSON for the queue, never a page: ok, conflict (the record moved on — with
// its current version, so the rep can compare field by field), or rejected with the reason.

const uuid = z.string().uuid()
const nullableUuid = uuid.nullable()
const instant = z.string().datetime({ offset: true })
const version = z.number().int().nonnegative()

const changeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('activity'),
    payload: z.object({
      id: uuid,
      kind: z.enum(['note', 'call', 'meeting']),
      subject: z.string().trim().min(1).max(200),
      body: z.string().max(20_000).nullable(),
      occurred_at: instant,
      organisation_id: nullableUuid,
      deal_id: nullableUuid,
      contact_id: nullableUuid,
    }),
  }),
  z.object({ kind: z.literal('task-complete'), payload: z.object({ id: uuid }) }),
  z.object({
    kind: z.literal('task-create'),
    payload: z.object({ id: uuid, title: z.string().trim().min(1).max(200), due_at: instant.nullable(), organisation_id: nullableUuid, deal_id: nullableUuid }),
  }),
  z.object({ kind: z.literal('task-reschedule'), payload: z.object({ id: uuid, version, due_at: instant, from_due_at: instant.nullable().optional() }) }),
  z.object({
    kind: z.literal('contact-create'),
    payload: z.object({
      id: uuid,
      first_name: z.string().trim().min(1).max(120),
      last_name: z.string().trim().min(1).max(120),
      job_title: z.string().trim().max(200).nullable(),
      emails: z.array(z.string().trim().max(320)).max(10),
      phones: z.array(z.string().trim().max(40)).max(10),
      organisation_id: nullableUuid,
    }),
  }),
  z.object({ kind: z.literal('deal-stage'), payload: z.object({ id: uuid, version, stage: z.string().min(1).max(60) }) }),
  z.object({
    kind: z.literal('deal-update'),
    payload: z.object({
      id: uuid,
      version,
      fields: z.object({
        title: z.string().trim().min(1).max(200).optional(),
        amount_cents: z.number().int().nonnegative().optional(),
        expected_close_date: z.string().date().nullable().optional(),
      }),
    }),
  }),
])

export const parseChange = (raw: unknown): QueuedChange | null => {
  const r = changeSchema.safeParse(raw)
  return r.success ? (r.data as QueuedChange) : null
}

export type SyncResult = { status: number; body: SyncAnswer }

const rejected = (status: number, message: string): SyncResult => ({ status, body: { status: 'rejected', message } })

/** The server took this command id already (its answer was lost when the tab closed). */
async function alreadyTaken(auth: Auth, commandId: string): Promise<boolean> {
  const done = await auth.tenant.selectFrom('processed_commands').select('command_id').where('processed_commands.command_id', '=', commandId).executeTakeFirst()
  return !!done
}

async function dealNow(auth: Auth, id: string) {
  const d = await findVisibleDeal(auth, id)
  if (!d) return null
  const fields: DealEditable & { stage: string } = {
    title: d.title,
    amount_cents: Number(d.amount_cents),
    expected_close_date: toIsoDate(d.expected_close_date),
    stage: d.stage,
  }
  return { deal: d, current: { version: d.version, fields } }
}

export async function applyChange(auth: Auth, commandId: string, change: QueuedChange): Promise<SyncResult> {
  const db = auth.tenant.db
  const ctx = auth.ctx(commandId)
  const gone = rejected(404, auth.t('offline.sync.gone'))
  const denied = rejected(403, auth.t('errors.forbiddenText'))
  try {
    switch (change.kind) {
      case 'activity': {
        if (!canCreateCrmRecords(auth.actor)) return denied
        const p = change.payload
        if (p.organisation_id && !(await findVisibleOrganisation(auth, p.organisation_id))) return gone
        if (p.deal_id && !(await findVisibleDeal(auth, p.deal_id))) return gone
        const { id, ...fields } = p
        const r = await logActivityCommand(db, ctx, { id, fields: { ...fields, duration_minutes: null } })
        return { status: 200, body: { status: 'ok', duplicate: r.duplicate } }
      }
      case 'task-complete': {
        const t = await findVisibleTask(auth, change.payload.id)
        if (!t) return gone
        if (!t.canWrite) return denied
        // Done already (here or on another device): what the rep wanted is true.
        if (t.status === 'terminee') return { status: 200, body: { status: 'ok', duplicate: true } }
        const r = await completeTaskCommand(db, ctx, { id: t.id })
        return { status: 200, body: { status: 'ok', duplicate: r.duplicate } }
      }
      case 'task-create': {
        const p = change.payload
        if (p.organisation_id && !(await findVisibleOrganisation(auth, p.organisation_id))) return gone
        if (p.deal_id && !(await findVisibleDeal(auth, p.deal_id))) return gone
        const r = await createTaskCommand(db, ctx, {
          id: p.id,
          fields: {
            title: p.title,
            description: null,
            due_at: p.due_at,
            all_day: false,
            assignee_id: auth.user.id,
            priority: 'normale',
            organisation_id: p.organisation_id,
            contact_id: null,
            deal_id: p.deal_id,
            rrule: null,
          },
        })
        return { status: 200, body: { status: 'ok', duplicate: r.duplicate } }
      }
      case 'task-reschedule': {
        const t = await findVisibleTask(auth, change.payload.id)
        if (!t) return gone
        if (!t.canWrite) return denied
        if (await alreadyTaken(auth, commandId)) return { status: 200, body: { status: 'ok', duplicate: true } }
        // Someone else moved the date since the device's copy: the rep chooses (keep mine /
        // keep theirs). Other changes of the task (a note, its priority) do not clash with a date.
        const serverDue = t.due_at ? new Date(t.due_at).toISOString() : null
        const seen = change.payload.from_due_at === undefined ? serverDue : change.payload.from_due_at
        const sameInstant = (a: string | null, b: string | null) => (a && b ? Date.parse(a) === Date.parse(b) : a === b)
        if (!sameInstant(seen, serverDue) && !sameInstant(serverDue, change.payload.due_at)) {
          return {
            status: 409,
            body: {
              status: 'conflict',
              message: translateProblem(auth.locale, 'record.changed'),
              current: { version: t.version, fields: { due_at: serverDue } },
            },
          }
        }
        const r = await updateTaskCommand(db, ctx, {
          id: t.id,
          expectedVersion: t.version, // a new date does not clash with other changes of the task
          fields: {
            title: t.title,
            description: t.description,
            due_at: change.payload.due_at,
            all_day: t.all_day,
            assignee_id: t.assignee_id,
            priority: t.priority,
            organisation_id: t.organisation_id,
            contact_id: t.contact_id,
            deal_id: t.deal_id,
            rrule: t.rrule,
          },
        })
        return { status: 200, body: { status: 'ok', duplicate: r.duplicate } }
      }
      case 'contact-create': {
        if (!canCreateCrmRecords(auth.actor)) return denied
        const p = change.payload
        if (p.organisation_id && !(await findVisibleOrganisation(auth, p.organisation_id))) return gone
        const r = await createContactCommand(db, ctx, {
          id: p.id,
          fields: {
            civility: null,
            first_name: p.first_name,
            last_name: p.last_name,
            job_title: p.job_title || null,
            emails: p.emails.filter(Boolean),
            phones: p.phones.filter(Boolean), // as typed: the domain normalises them to E.164, as for the form
            organisation_id: p.organisation_id,
            owner_id: auth.user.id,
            shared: false,
            gdpr_consent: false,
            consent_source: null,
            consent_date: null,
            marketing_opt_out: false,
          },
        })
        return { status: 200, body: { status: 'ok', duplicate: r.duplicate } }
      }
      case 'deal-stage':
      case 'deal-update': {
        const now = await dealNow(auth, change.payload.id)
        if (!now) return gone
        if (!now.deal.canWrite) return denied
        const { deal } = now
        const conflict = (): SyncResult => ({
          status: 409,
          body: { status: 'conflict', message: translateProblem(auth.locale, 'record.changed'), current: now.current },
        })
        // A replay of a command the server already applied is answered before the version check.
        if (await alreadyTaken(auth, commandId)) return { status: 200, body: { status: 'ok', duplicate: true } }
        if (deal.version !== change.payload.version) return conflict()
        if (change.kind === 'deal-stage') {
          await changeDealStageCommand(db, ctx, { id: deal.id, expectedVersion: change.payload.version, to: change.payload.stage, lostReason: '' })
        } else {
          const f = change.payload.fields
          await updateDealCommand(db, ctx, {
            id: deal.id,
            expectedVersion: change.payload.version,
            fields: {
              title: f.title ?? deal.title,
              organisation_id: deal.organisation_id,
              amount_cents: f.amount_cents ?? Number(deal.amount_cents),
              expected_close_date: f.expected_close_date !== undefined ? f.expected_close_date : toIsoDate(deal.expected_close_date),
              owner_id: deal.owner_id,
              category: deal.category,
              source: deal.source,
              region: deal.region,
              contact_ids: deal.contact_ids,
            },
          })
        }
        return { status: 200, body: { status: 'ok', duplicate: false } }
      }
    }
  } catch (e) {
    if (e instanceof ConcurrencyError && (change.kind === 'deal-stage' || change.kind === 'deal-update')) {
      const now = await dealNow(auth, change.payload.id)
      if (now) return { status: 409, body: { status: 'conflict', message: translateProblem(auth.locale, 'record.changed'), current: now.current } }
    }
    if (e instanceof DomainError) {
      const message = e.field ? `${translateProblem(auth.locale, e.problem)}` : translateProblem(auth.locale, e.problem)
      return rejected(e.status >= 400 && e.status < 500 ? e.status : 422, message)
    }
    throw e
  }
}
