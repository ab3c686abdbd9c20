import { createHash, timingSafeEqual } from 'node:crypto'
import cronParser from 'cron-parser'
import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import { type Authority, loadAuthority, mayRead } from './authority.js'
import { evaluateGroup } from './conditions.js'
import { activeWorkflows, type ActiveWorkflow } from './definitions.js'
import type { EngineDeps } from './engine-deps.js'
import { loadSubjects, valuesOf } from './load-context.js'
import { insertRuns, loopGuard, type NewRun, recentRunCounts } from './start-run.js'
import { signatureOf } from './actions.js'

// The triggers that are not domain events: inactivity (a scheduled pass), cron schedules
// (a minute tick) and inbound webhooks. Each run's trigger key makes it fire once:
// `inactivity:<record>:<start of the inactivity period>`, `schedule:<due time>`,
// `webhook:<delivery id>`.

/** The SQL form of `mayRead` on a deals (d) or organisations (o) row: identity/roles.ts canReadRecord. */
function reachSql(a: Authority, alias: 'd' | 'o') {
  if (a.kind === 'system') return sql`true`
  if (!a.active) return sql`false`
  if (a.actor.role === 'admin' || a.actor.role === 'finance') return sql`true`
  const t = sql.ref(alias)
  const own = sql`(${t}.owner_id is null or ${t}.shared or ${t}.owner_id = ${a.actor.id})`
  if (a.actor.role === 'manager' && a.actor.teamId)
    return sql`(${own} or ${t}.owner_id in (select id from users where workspace_id = ${a.actor.workspaceId} and team_id = ${a.actor.teamId}))`
  return own
}

/** The records of a workflow idle for its N days now: last activity (or creation) before the cutoff. */
async function idleRecords(db: Db, w: ActiveWorkflow, authority: Authority, now: Date, limit: number): Promise<Array<{ id: string; last_at: Date }>> {
  const t = w.definition.trigger
  if (t.kind !== 'inactivity') return []
  // Filtered in SQL too, so records out of the publisher's reach never fill the pass's limit.
  const reach = (alias: 'd' | 'o') => reachSql(authority, alias)
  const cutoff = new Date(now.getTime() - t.days * 86_400_000)
  // The key of the period, as the run stores it: records already fired for their
  // current period are left out in SQL (a pass over thousands of idle deals stays cheap).
  if (t.entity === 'deal') {
    const r = await sql<{ id: string; last_at: Date }>`
      select x.id, x.last_at from (
        select d.id, greatest(d.created_at, (select max(a.occurred_at) from activities a where a.workspace_id = d.workspace_id and a.deal_id = d.id and a.deleted_at is null)) as last_at
        from deals d
        where d.workspace_id = ${w.workspace_id} and d.deleted_at is null and d.closed_at is null and ${reach('d')}
          ${t.stage ? sql`and d.stage = ${t.stage}` : sql``}
      ) x
      where x.last_at <= ${cutoff}
        and not exists (select 1 from workflow_runs r where r.workflow_id = ${w.id} and r.trigger_key = 'inactivity:' || x.id || ':' || (extract(epoch from x.last_at) * 1000)::bigint)
      order by x.last_at limit ${limit}`.execute(db)
    return r.rows
  }
  const r = await sql<{ id: string; last_at: Date }>`
    select x.id, x.last_at from (
      select o.id, greatest(o.created_at, (select max(a.occurred_at) from activities a where a.workspace_id = o.workspace_id and a.organisation_id = o.id and a.deleted_at is null)) as last_at
      from organisations o
      where o.workspace_id = ${w.workspace_id} and o.deleted_at is null and ${reach('o')}
    ) x
    where x.last_at <= ${cutoff}
      and not exists (select 1 from workflow_runs r where r.workflow_id = ${w.id} and r.trigger_key = 'inactivity:' || x.id || ':' || (extract(epoch from x.last_at) * 1000)::bigint)
    order by x.last_at limit ${limit}`.execute(db)
  return r.rows
}

/**
 * One pass of the inactivity trigger over every active inactivity workflow: one run per
 * record and period of inactivity (a new activity starts a new period). Safe to run
 * twice, or again after a restart: the period's key is already taken.
 */
export async function runInactivityPass(deps: EngineDeps, opts: { workspaceId?: string; limit?: number } = {}): Promise<number> {
  const now = deps.now()
  const workflows = await activeWorkflows(deps.db, { kinds: ['inactivity'], workspaceIds: opts.workspaceId ? [opts.workspaceId] : undefined })
  let started = 0
  for (const w of workflows) {
    const t = w.definition.trigger
    if (t.kind !== 'inactivity') continue
    const authority = await loadAuthority(deps.db, w.id, w.version)
    const idle = await idleRecords(deps.db, w, authority, now, opts.limit ?? 1_000)
    if (idle.length === 0) continue
    const subjects = idle.map((r) => ({ type: t.entity, id: r.id }))
    const recs = await loadSubjects(deps.db, w.workspace_id, subjects)
    const counts = await recentRunCounts(
      deps.db,
      idle.map((r) => ({ workflowId: w.id, subjectId: r.id })),
      now,
    )
    const runs: NewRun[] = []
    for (const r of idle) {
      // Only the records its publisher may read (ADR 0021).
      if (!mayRead(authority, recs.get(`${t.entity}:${r.id}`)!)) continue
      const lastAt = new Date(r.last_at)
      const inactiveDays = Math.floor((now.getTime() - lastAt.getTime()) / 86_400_000)
      const values = valuesOf(recs.get(`${t.entity}:${r.id}`)!, { inactiveDays }, now, deps.appUrl)
      if (!evaluateGroup(w.definition.conditions, values)) continue
      runs.push({
        workspaceId: w.workspace_id,
        workflowId: w.id,
        version: w.version,
        triggerKind: 'inactivity',
        triggerKey: `inactivity:${r.id}:${lastAt.getTime()}`,
        eventType: 'Inactivité',
        payload: { inactiveDays, since: lastAt.toISOString() },
        subject: { type: t.entity, id: r.id },
        start: w.definition.start,
        depth: 0,
        skipReason: loopGuard(0, counts.get(`${w.id}:${r.id}`) ?? 0),
      })
    }
    const res = await deps.db.transaction().execute((trx) => insertRuns(trx, deps, runs))
    started += res.filter(Boolean).length
  }
  return started
}

/** The latest due time of a cron (Europe/Paris) at or before `now`, or null if the expression is invalid. */
export function lastDueTime(cron: string, now: Date): Date | null {
  try {
    // prev() is strictly before currentDate: add a millisecond so a tick exactly on time counts.
    return cronParser
      .parseExpression(cron, { currentDate: new Date(now.getTime() + 1), tz: 'Europe/Paris' })
      .prev()
      .toDate()
  } catch {
    return null
  }
}

/**
 * The minute tick of scheduled workflows: a run for each due time reached in the last
 * `catchUpMinutes` (a tick missed during a restart still fires), once per due time.
 */
export async function runScheduleTick(deps: EngineDeps, opts: { catchUpMinutes?: number } = {}): Promise<number> {
  const now = deps.now()
  const workflows = await activeWorkflows(deps.db, { kinds: ['schedule'] })
  const runs: NewRun[] = []
  for (const w of workflows) {
    const t = w.definition.trigger
    if (t.kind !== 'schedule') continue
    const due = lastDueTime(t.cron, now)
    if (!due || now.getTime() - due.getTime() > (opts.catchUpMinutes ?? 5) * 60_000) continue
    if (!evaluateGroup(w.definition.conditions, valuesOf({ deal: null, organisation: null, contact: null, owner: null }, {}, now, deps.appUrl))) continue
    runs.push({
      workspaceId: w.workspace_id,
      workflowId: w.id,
      version: w.version,
      triggerKind: 'schedule',
      triggerKey: `schedule:${due.toISOString()}`,
      eventType: 'Planification',
      payload: { due: due.toISOString(), cron: t.cron },
      subject: null,
      start: w.definition.start,
      depth: 0,
    })
  }
  const res = await deps.db.transaction().execute((trx) => insertRuns(trx, deps, runs))
  return res.filter(Boolean).length
}

export const MAX_WEBHOOK_BYTES = 256 * 1024

export type InboundResult = { status: 202; runId: string; duplicate: boolean } | { status: 400 | 401 | 404 | 413; error: string }

/** Constant-time check of `sha256=<hex>` against the HMAC of the raw body. */
export function signatureMatches(secret: string, rawBody: string, header: string | null): boolean {
  if (!header) return false
  const want = Buffer.from(signatureOf(secret, rawBody))
  const got = Buffer.from(header.trim())
  return got.length === want.length && timingSafeEqual(got, want)
}

/**
 * An inbound webhook: unknown or inactive workflow → 404, bad signature → 401, body too
 * large → 413, not a JSON object → 400; else a run with the body as `webhook.*` (202).
 * A delivery id (Idempotency-Key header) makes a redelivery return the same run.
 */
export async function receiveWebhook(
  deps: EngineDeps,
  q: { workflowId: string; rawBody: string; signature: string | null; deliveryId: string | null },
): Promise<InboundResult> {
  if (!/^[0-9a-f-]{36}$/i.test(q.workflowId)) return { status: 404, error: 'Workflow introuvable.' }
  const w = await deps.db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.published_version'))
    .select(['w.id', 'w.workspace_id', 'w.webhook_secret', 'v.version', 'v.trigger_kind'])
    .where('w.id', '=', q.workflowId)
    .where('w.enabled', '=', true)
    .where('w.deleted_at', 'is', null)
    .executeTakeFirst()
  if (!w || w.trigger_kind !== 'webhook') return { status: 404, error: 'Workflow introuvable ou désactivé.' }
  if (Buffer.byteLength(q.rawBody) > MAX_WEBHOOK_BYTES) return { status: 413, error: 'Corps trop volumineux (256 Ko au plus).' }
  if (!signatureMatches(w.webhook_secret, q.rawBody, q.signature)) return { status: 401, error: 'Signature invalide.' }
  let payload: unknown
  try {
    payload = JSON.parse(q.rawBody)
  } catch {
    return { status: 400, error: 'Le corps doit être du JSON.' }
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { status: 400, error: 'Le corps doit être un objet JSON.' }
  const [def] = await activeWorkflows(deps.db, { workspaceIds: [w.workspace_id], kinds: ['webhook'] }).then((ws) => ws.filter((x) => x.id === w.id))
  if (!def) return { status: 404, error: 'Workflow introuvable ou désactivé.' }
  const now = deps.now()
  const values = valuesOf({ deal: null, organisation: null, contact: null, owner: null }, { webhook: payload }, now, deps.appUrl)
  const key = `webhook:${q.deliveryId ? `id:${q.deliveryId.slice(0, 200)}` : createHash('sha256').update(`${now.toISOString()}:${Math.random()}:${q.rawBody}`).digest('hex')}`
  if (!evaluateGroup(def.definition.conditions, values)) {
    // Received and checked, but its conditions do not hold: nothing runs (recorded as skipped so the sender's call is traceable).
    const [r] = await deps.db.transaction().execute((trx) =>
      insertRuns(trx, deps, [
        {
          workspaceId: w.workspace_id,
          workflowId: w.id,
          version: w.version,
          triggerKind: 'webhook',
          triggerKey: key,
          eventType: 'Webhook entrant',
          payload: { webhook: payload },
          subject: null,
          start: def.definition.start,
          depth: 0,
          skipReason: 'workflow.run.skip.conditions',
        },
      ]),
    )
    if (r) return { status: 202, runId: r.id, duplicate: false }
  }
  const [r] = await deps.db.transaction().execute((trx) =>
    insertRuns(trx, deps, [
      {
        workspaceId: w.workspace_id,
        workflowId: w.id,
        version: w.version,
        triggerKind: 'webhook',
        triggerKey: key,
        eventType: 'Webhook entrant',
        payload: { webhook: payload },
        subject: null,
        start: def.definition.start,
        depth: 0,
      },
    ]),
  )
  if (r) return { status: 202, runId: r.id, duplicate: false }
  const existing = await deps.db
    .selectFrom('workflow_runs')
    .select('id')
    .where('workflow_id', '=', w.id)
    .where('trigger_key', '=', key)
    .executeTakeFirstOrThrow()
  return { status: 202, runId: existing.id, duplicate: true }
}
