import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import { updateDealCommand, updateOrganisationCommand, changeDealStageCommand } from '../../crm/crm.commands.js'
import type { DealFields } from '../../crm/deal.js'
import type { OrganisationFields } from '../../crm/organisation.js'
import { enqueueEmail } from '../../mail/enqueue-email.js'
import { notify } from '../../notifications/notify.js'
import type { CommandContext } from '../../shared/events.js'
import { createTaskCommand } from '../../tasks/task.commands.js'
import { addDays, parisDay, startOfParisDay } from '../../shared/paris-time.js'
import { jsonStringEscape, renderTemplate } from '../template-text.js'
import { type Step, VARIABLES } from '../workflow.definition.js'
import type { RunValues } from './conditions.js'
import type { EngineDeps } from './engine-deps.js'
import type { Subject, SubjectRecords } from './load-context.js'
import { addressesFor, usersFor } from './recipients.js'
import { describeProblem, type Problem } from '../../shared/errors.js'
import { PermanentStepError } from './step-errors.js'
import { OutboundRefused, postGuarded } from '../../shared/outbound-http/guarded-post.js'
import { moneyOnly, parseDay, parseMoneyCents, webhookValues } from './values.js'
import { webhookSignature } from './inbound-signature.js'

// What each action step does: `planAction` renders it (the step's recorded input, and
// all a dry run shows), `performAction` makes the change through the same commands and
// helpers the UI uses, inside the transaction that records the step's success.

export type StepEnv = {
  deps: EngineDeps
  runId: string
  workspaceId: string
  subject: Subject | null
  rec: SubjectRecords
  values: RunValues
  /** The values formatted for text. */
  text: RunValues
  now: Date
  ctx: CommandContext
  webhookSecret: string
}

export type ActionStep = Exclude<Step, { type: 'branch' } | { type: 'delay' }>

const render = (t: string, env: StepEnv) => renderTemplate(t, env.text)
const TASK_PRIORITY = { low: 'basse', normal: 'normale', high: 'haute' } as const

export type Plan = Record<string, unknown>

/** The step with its templates rendered and its people resolved: what it will do. */
export async function planAction(step: ActionStep, env: StepEnv): Promise<Plan> {
  const db = env.deps.db
  switch (step.type) {
    case 'send_email': {
      const address = step.to.kind === 'email' ? render(step.to.address, env) : null
      const to = await addressesFor(db, env.workspaceId, step.to, env.rec, address)
      // An e-mail to no one did nothing: a failed step, never "Réussie".
      if (to.length === 0) throw new PermanentStepError('workflow.run.email.no_recipient')
      return { to, subject: render(step.subject, env), body: render(step.body, env) }
    }
    case 'create_task': {
      const assignee = (await usersFor(db, env.workspaceId, step.assignee, env.rec))[0] ?? null
      return {
        title: render(step.title, env),
        description: render(step.description, env),
        assignee: assignee ? { id: assignee.id, name: assignee.full_name } : null,
        due: addDays(parisDay(env.now), step.dueInDays),
        priority: TASK_PRIORITY[step.priority],
      }
    }
    case 'update_field': {
      const v = VARIABLES.find((x) => x.path === step.field)
      if (!v?.updatable) throw new PermanentStepError({ code: 'workflow.run.field.not_updatable', params: { field: step.field } })
      return { field: step.field, label: v.label, value: render(step.value, env) }
    }
    case 'notify': {
      const users = await usersFor(db, env.workspaceId, step.to, env.rec)
      return { to: users.map((u) => ({ id: u.id, name: u.full_name })), title: render(step.title, env), body: render(step.body, env) }
    }
    case 'webhook': {
      // Machine values, not the French display: amounts as decimal euros in a string ("1234.50").
      const values = webhookValues(env.values)
      const body = step.body.trim()
        ? renderTemplate(step.body, { ...env.text, ...moneyOnly(values) }, { escape: jsonStringEscape })
        : JSON.stringify({ run: env.runId, values })
      return { url: render(step.url, env), body }
    }
    case 'assign': {
      if (step.mode === 'user') {
        const u = step.userId ? (await usersFor(db, env.workspaceId, { kind: 'user', userId: step.userId }, env.rec))[0] : null
        return { mode: 'user', user: u ? { id: u.id, name: u.full_name } : null }
      }
      return { mode: 'round_robin', teamId: step.teamId }
    }
    case 'add_tag':
      return { tag: render(step.tag, env).trim(), organisation: env.rec.organisation ? { id: env.rec.organisation.id, name: env.rec.organisation.name } : null }
  }
}

const dealFields = (d: NonNullable<SubjectRecords['deal']>): DealFields => ({
  title: d.title,
  organisation_id: d.organisation_id,
  amount_cents: d.amount_cents,
  expected_close_date: d.expected_close_date ? String(d.expected_close_date).slice(0, 10) : null,
  owner_id: d.owner_id,
  category: d.category,
  source: d.source,
  region: d.region,
  shared: d.shared,
  contact_ids: d.contact_ids,
})
const orgFields = (o: NonNullable<SubjectRecords['organisation']>): OrganisationFields => ({
  name: o.name,
  siren: o.siren,
  siret: o.siret,
  vat_number: o.vat_number,
  address: o.address,
  postal_code: o.postal_code,
  city: o.city,
  sector: o.sector,
  size: o.size,
  status: o.status,
  owner_id: o.owner_id,
  shared: o.shared,
  tags: o.tags,
  notes: o.notes,
})

/** Which record a change applies to: the subject, or a deal's organisation for organisation fields. */
function targetDeal(env: StepEnv) {
  if (!env.rec.deal) throw new PermanentStepError('workflow.run.needs_deal')
  return env.rec.deal
}
function targetOrganisation(env: StepEnv) {
  if (!env.rec.organisation) throw new PermanentStepError('workflow.run.needs_organisation')
  return env.rec.organisation
}

async function setOwner(trx: Db, env: StepEnv, userId: string) {
  if (env.rec.deal) {
    const d = env.rec.deal
    await updateDealCommand(trx, env.ctx, { id: d.id, expectedVersion: d.version, fields: { ...dealFields(d), owner_id: userId } })
    return d.id
  }
  const o = targetOrganisation(env)
  await updateOrganisationCommand(trx, env.ctx, { id: o.id, expectedVersion: o.version, fields: { ...orgFields(o), owner_id: userId } })
  return o.id
}

/** The next member of the team after the last one given a record (persisted cursor, locked). */
async function nextInTeam(trx: Db, workspaceId: string, teamId: string): Promise<string> {
  const members = await trx
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .where('active', '=', true)
    .orderBy('id')
    .execute()
  if (members.length === 0) throw new PermanentStepError('workflow.run.team.no_active_member')
  await sql`insert into workflow_round_robin (workspace_id, team_id) values (${workspaceId}, ${teamId}) on conflict do nothing`.execute(trx)
  const cursor = await trx
    .selectFrom('workflow_round_robin')
    .select('last_user_id')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const i = members.findIndex((m) => m.id === cursor.last_user_id)
  const next = members[(i + 1) % members.length].id
  await trx
    .updateTable('workflow_round_robin')
    .set({ last_user_id: next, updated_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .execute()
  return next
}

/** Makes the change. Runs inside the step's transaction (`trx`), except webhooks (see executor). Returns the id of what it made. */
export async function performAction(
  trx: Db,
  step: ActionStep,
  plan: Plan,
  env: StepEnv,
): Promise<{ targetId: string | null; output: Record<string, unknown> }> {
  const key = `wf:${env.runId}:${step.id}`
  switch (step.type) {
    case 'send_email': {
      const to = plan.to as string[]
      const ids: string[] = []
      for (const address of to) {
        const r = await enqueueEmail(trx, env.deps.mail, {
          workspaceId: env.workspaceId,
          to: address,
          template: 'workflow',
          props: { subject: plan.subject as string, body: plan.body as string },
          idempotencyKey: `${key}:${address.toLowerCase()}`,
        })
        ids.push(r.id)
      }
      return { targetId: ids.join(',') || null, output: { emails: ids.length, to } }
    }
    case 'create_task': {
      const id = randomUUID()
      const due = plan.due as string
      await createTaskCommand(
        trx,
        env.ctx,
        {
          id,
          fields: {
            title: (plan.title as string).slice(0, 200) || 'Tâche',
            description: (plan.description as string) || null,
            due_at: startOfParisDay(due).toISOString(),
            all_day: true,
            assignee_id: (plan.assignee as { id: string } | null)?.id ?? null,
            priority: plan.priority as 'normale',
            organisation_id: env.rec.organisation?.id ?? null,
            contact_id: env.rec.contact?.id ?? null,
            deal_id: env.rec.deal?.id ?? null,
            rrule: null,
          },
        },
        { mail: env.deps.mail },
      )
      return { targetId: id, output: { taskId: id } }
    }
    case 'update_field': {
      const v = VARIABLES.find((x) => x.path === step.field)!
      const { entity, column } = v.updatable!
      const text = plan.value as string
      let value: unknown = text
      if (v.type === 'money') {
        value = parseMoneyCents(text)
        if (value === null) throw new PermanentStepError({ code: 'workflow.run.value.not_euros', params: { value: text } })
      } else if (v.type === 'date') {
        value = text.trim() === '' ? null : parseDay(text)
        if (value === undefined || (value === null && text.trim() !== ''))
          throw new PermanentStepError({ code: 'workflow.run.value.not_date', params: { value: text } })
      }
      if (entity === 'deal') {
        const d = targetDeal(env)
        if (column === 'stage') await changeDealStageCommand(trx, env.ctx, { id: d.id, expectedVersion: d.version, to: text.trim().toUpperCase() })
        else await updateDealCommand(trx, env.ctx, { id: d.id, expectedVersion: d.version, fields: { ...dealFields(d), [column]: value } })
        return { targetId: d.id, output: { field: step.field, value } }
      }
      const o = targetOrganisation(env)
      await updateOrganisationCommand(trx, env.ctx, {
        id: o.id,
        expectedVersion: o.version,
        fields: { ...orgFields(o), [column]: value } as OrganisationFields,
      })
      return { targetId: o.id, output: { field: step.field, value } }
    }
    case 'notify': {
      const ids: string[] = []
      for (const u of plan.to as Array<{ id: string }>) {
        const r = await notify(trx, {
          workspaceId: env.workspaceId,
          userId: u.id,
          kind: 'workflow_notification',
          title: (plan.title as string) || 'Workflow',
          body: (plan.body as string) || null,
          link: env.rec.deal ? `/deals/${env.rec.deal.id}` : env.rec.organisation ? `/organisations/${env.rec.organisation.id}` : null,
          dedupKey: key,
          now: env.now,
        })
        if (r.id) ids.push(r.id)
      }
      return { targetId: ids.join(',') || null, output: { notifications: ids.length } }
    }
    case 'assign': {
      let userId = (plan.user as { id: string } | null)?.id ?? null
      if (step.mode === 'round_robin') {
        if (!step.teamId) throw new PermanentStepError('workflow.run.team.required')
        userId = await nextInTeam(trx, env.workspaceId, step.teamId)
      }
      if (!userId) throw new PermanentStepError('workflow.run.assignee.not_found')
      const id = await setOwner(trx, env, userId)
      return { targetId: id, output: { ownerId: userId } }
    }
    case 'add_tag': {
      const o = targetOrganisation(env)
      const tag = plan.tag as string
      if (!tag) throw new PermanentStepError('workflow.run.tag.empty')
      if (!o.tags.includes(tag))
        await updateOrganisationCommand(trx, env.ctx, { id: o.id, expectedVersion: o.version, fields: { ...orgFields(o), tags: [...o.tags, tag] } })
      return { targetId: o.id, output: { tag } }
    }
    case 'webhook':
      throw new Error('webhook steps are sent by the executor, outside the transaction')
  }
}

/**
 * The Standard Webhooks headers of a step's call, like the outbound webhooks
 * (domain/webhooks) and the inbound workflow hooks: HMAC-SHA256 of `<id>.<timestamp>.<body>`
 * with the workflow's secret (its text as bytes, as inbound-signature.ts verifies).
 */
export function signedHeaders(secret: string, id: string, at: Date, body: string) {
  const seconds = Math.floor(at.getTime() / 1000)
  return { 'webhook-id': id, 'webhook-timestamp': String(seconds), 'webhook-signature': webhookSignature(secret, id, seconds, body) }
}

export class WebhookError extends Error {
  constructor(
    readonly problem: Problem,
    readonly permanent: boolean,
  ) {
    super(describeProblem(problem))
  }
}

/** POSTs a step's webhook through the SSRF guard: signed, with a timeout, never redirected; 2xx ok, 4xx and refusals permanent, 5xx / timeout / network retried. */
export async function sendWebhook(env: StepEnv, step: Extract<Step, { type: 'webhook' }>, plan: Plan): Promise<{ status: number }> {
  const url = plan.url as string
  const body = plan.body as string
  let status: number
  try {
    const res = await postGuarded(
      url,
      {
        headers: {
          'content-type': 'application/json',
          // The same id on every attempt: the receiver can drop a repeat (a crash after its 2xx
          // and before our commit sends it again). Idempotency-Key carries it too, as before.
          ...signedHeaders(env.webhookSecret, `${env.runId}:${step.id}`, env.deps.now(), body),
          'idempotency-key': `${env.runId}:${step.id}`,
        },
        body,
        timeoutMs: step.timeoutMs,
      },
      env.deps.outbound,
    )
    status = res.status
  } catch (e) {
    if (e instanceof OutboundRefused) throw new WebhookError(refusalProblem(e, url), e.reason !== 'unresolved')
    const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')
    throw new WebhookError(
      timeout
        ? { code: 'workflow.run.webhook.timeout', params: { ms: step.timeoutMs } }
        : { code: 'workflow.run.webhook.unreachable', params: { reason: (e as Error).message } },
      false,
    )
  }
  if (status >= 200 && status < 300) return { status }
  throw new WebhookError({ code: 'workflow.run.webhook.status', params: { status } }, status >= 400 && status < 500 && status !== 408 && status !== 429)
}

function refusalProblem(e: OutboundRefused, url: string): Problem {
  switch (e.reason) {
    case 'address':
      return { code: 'workflow.run.webhook.address_refused', params: { address: e.detail } }
    case 'redirect':
      return { code: 'workflow.run.webhook.redirect', params: { location: e.detail } }
    case 'scheme':
      return 'workflow.run.webhook.https_only'
    case 'unresolved':
      return { code: 'workflow.run.webhook.unreachable', params: { reason: e.detail } }
    case 'url_invalid':
      return { code: 'workflow.run.webhook.url_invalid', params: { url } }
  }
}
