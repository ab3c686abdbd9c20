import cronParser from 'cron-parser'
import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import { type Authority, loadAuthority, mayRead } from './authority.js'
import { evaluateGroup } from './conditions.js'
import { activeWorkflows, type ActiveWorkflow } from './definitions.js'
import type { EngineDeps } from './engine-deps.js'
import { loadSubjects, valuesOf } from './load-context.js'
import { insertRuns, loopGuard, type NewRun, recentRunCounts } from './start-run.js'
import { REPLAY_WINDOW_SECONDS, type SignedHeaders, verifyInbound } from './inbound-signature.js'

// The triggers that are not domain events: inactivity (a scheduled pass), cron schedules
// (a minute tick) and inbound webhooks. Each run's trigger key makes it fire once:
// `inactivity:<record>:<start of the inactivity period>`, `schedule:<due time>`,
// `webhook:id:<webhook-id>:<signed time>`.

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
      // Only the records its publisher may read (ADR 0023).
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

export type InboundResult =
  { status: 202; runId: string; duplicate: false } | { status: 409; runId: string | null; error: string } | { status: 400 | 401 | 404 | 413; error: string }

/**
 * An inbound webhook (Standard Webhooks: inbound-signature.ts): unknown or inactive
 * workflow → 404, body too large → 413, missing or bad signature, or a signed time more
 * than 5 minutes from ours → 401, not a JSON object → 400, an id already accepted → 409
 * (a replay: no new run); else a run with the body as `webhook.*` (202). The id is
 * recorded in the transaction that records the run, so two copies racing start one run.
 */
export async function receiveWebhook(deps: EngineDeps, q: { workflowId: string; rawBody: string; headers: SignedHeaders }): Promise<InboundResult> {
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
  const now = deps.now()
  const verdict = verifyInbound(w.webhook_secret, q.headers, q.rawBody, now)
  if (!verdict.ok) return { status: 401, error: verdict.error }
  let payload: unknown
  try {
    payload = JSON.parse(q.rawBody)
  } catch {
    return { status: 400, error: 'Le corps doit être du JSON.' }
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { status: 400, error: 'Le corps doit être un objet JSON.' }
  const [def] = await activeWorkflows(deps.db, { workspaceIds: [w.workspace_id], kinds: ['webhook'] }).then((ws) => ws.filter((x) => x.id === w.id))
  if (!def) return { status: 404, error: 'Workflow introuvable ou désactivé.' }
  const values = valuesOf({ deal: null, organisation: null, contact: null, owner: null }, { webhook: payload }, now, deps.appUrl)
  // Received and checked, but its conditions do not hold: recorded as skipped so the sender's call is traceable.
  const holds = evaluateGroup(def.definition.conditions, values)
  return deps.db.transaction().execute(async (trx): Promise<InboundResult> => {
    // Ids older than the window can no longer be replayed (their time is refused): forget them.
    await trx
      .deleteFrom('workflow_webhook_deliveries')
      .where('workflow_id', '=', w.id)
      .where('received_at', '<', new Date(now.getTime() - 2 * REPLAY_WINDOW_SECONDS * 1000))
      .execute()
    const fresh = await trx
      .insertInto('workflow_webhook_deliveries')
      .values({ workflow_id: w.id, webhook_id: verdict.id, received_at: now })
      .onConflict((oc) => oc.doNothing())
      .returning('webhook_id')
      .executeTakeFirst()
    if (!fresh) {
      const seen = await trx
        .selectFrom('workflow_webhook_deliveries')
        .select('run_id')
        .where('workflow_id', '=', w.id)
        .where('webhook_id', '=', verdict.id)
        .executeTakeFirst()
      return { status: 409, runId: seen?.run_id ?? null, error: 'Livraison déjà reçue (même webhook-id) : aucune nouvelle exécution.' }
    }
    const [r] = await insertRuns(trx, deps, [
      {
        workspaceId: w.workspace_id,
        workflowId: w.id,
        version: w.version,
        triggerKind: 'webhook',
        triggerKey: `webhook:id:${verdict.id}:${verdict.timestamp}`,
        eventType: 'Webhook entrant',
        payload: { webhook: payload },
        subject: null,
        start: def.definition.start,
        depth: 0,
        ...(holds ? {} : { skipReason: 'workflow.run.skip.conditions' }),
      },
    ])
    if (!r) return { status: 409, runId: null, error: 'Livraison déjà reçue (même webhook-id) : aucune nouvelle exécution.' }
    await trx.updateTable('workflow_webhook_deliveries').set({ run_id: r.id }).where('workflow_id', '=', w.id).where('webhook_id', '=', verdict.id).execute()
    return { status: 202, runId: r.id, duplicate: false }
  })
}
