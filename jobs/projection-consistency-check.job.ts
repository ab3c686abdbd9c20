import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'
import { DEAL_STREAM } from '../domain/crm/deal.js'
import type { ClickHouse } from '../projections/clickhouse.js'
import { projectionLag, type ProjectionLag } from '../projections/lag.js'
import { dealTotals, type DealTotals } from '../projections/queries/deal-totals.js'
import { dealsProjection } from '../projections/registry.js'
import type { JobDefinition } from './job.js'

// Nightly proof that the CQRS spine holds: for each workspace, the deal figures of the
// Postgres write model equal those of the ClickHouse read model. The result of every
// run is kept in `consistency_checks` (ok or not, both sides in `details`), so drift
// shows up as a row to look at, not as a dashboard quietly lying.

export const CHECK_CONSISTENCY = 'projections.check-consistency' as const

export type ConsistencyCheckData = { workspaceId?: string }

type Difference = { figure: keyof DealTotals; postgres: number; clickhouse: number }
export type ConsistencyDetails = {
  postgres: DealTotals
  clickhouse: DealTotals | null
  differences: Difference[]
  /** Deal events the workspace had when Postgres was read. */
  deal_events: number
  lag: ProjectionLag
  attempts: number
  reason?: string
}

const FIGURES: (keyof DealTotals)[] = ['deals', 'open_deals', 'open_amount_cents', 'won_deals', 'won_amount_cents']

/** The figures from `deals` (deleted excluded), won and open by the workspace's own stage kinds. */
async function postgresTotals(db: Db, workspaceId: string): Promise<{ totals: DealTotals; dealEvents: number }> {
  // One REPEATABLE READ snapshot: the figures and the event count describe the same instant.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const r = await sql<Record<keyof DealTotals, string | number>>`
      select count(*) as deals,
        count(*) filter (where s.kind = 'open') as open_deals,
        coalesce(sum(d.amount_cents) filter (where s.kind = 'open'), 0) as open_amount_cents,
        count(*) filter (where s.kind = 'won') as won_deals,
        coalesce(sum(d.amount_cents) filter (where s.kind = 'won'), 0) as won_amount_cents
      from deals d
      left join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
      where d.workspace_id = ${workspaceId} and d.deleted_at is null`.execute(trx)
      const row = r.rows[0]
      const totals = Object.fromEntries(FIGURES.map((f) => [f, Number(row[f])])) as DealTotals
      return { totals, dealEvents: await countDealEvents(trx, workspaceId) }
    })
}

async function countDealEvents(db: Db, workspaceId: string): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('stream_type', '=', DEAL_STREAM)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits until the deals projection has every committed event; returns the last lag seen. */
async function waitForProjection(db: Db, maxWaitMs: number): Promise<ProjectionLag> {
  const until = Date.now() + maxWaitMs
  for (;;) {
    const lag = await projectionLag(db, [dealsProjection.name])
    if (lag.events === 0 || Date.now() >= until) return lag
    await sleep(500)
  }
}

/**
 * Compares one workspace and records the result. Reads Postgres in one snapshot, waits
 * for the projector to have projected everything committed, reads ClickHouse, then
 * checks that no deal event was committed meanwhile (else ClickHouse could be ahead of
 * the snapshot): if one was, it starts again, up to three times.
 *
 * @example await checkWorkspace({ db, ch }, workspaceId) // { ok: true, details: { postgres, clickhouse, … } }
 */
export async function checkWorkspace(
  deps: { db: Db; ch: ClickHouse },
  workspaceId: string,
  opts: { maxWaitMs?: number } = {},
): Promise<{ ok: boolean; details: ConsistencyDetails }> {
  const maxWaitMs = opts.maxWaitMs ?? 120_000
  let details: ConsistencyDetails | null = null
  for (let attempt = 1; attempt <= 3; attempt++) {
    const pg = await postgresTotals(deps.db, workspaceId)
    const lag = await waitForProjection(deps.db, maxWaitMs)
    if (lag.events > 0) {
      details = { postgres: pg.totals, clickhouse: null, differences: [], deal_events: pg.dealEvents, lag, attempts: attempt, reason: 'projection en retard' }
      break
    }
    const chTotals = await dealTotals(deps.ch, workspaceId)
    const differences = FIGURES.filter((f) => pg.totals[f] !== chTotals[f]).map((f) => ({ figure: f, postgres: pg.totals[f], clickhouse: chTotals[f] }))
    details = { postgres: pg.totals, clickhouse: chTotals, differences, deal_events: pg.dealEvents, lag, attempts: attempt }
    if (differences.length === 0 || (await countDealEvents(deps.db, workspaceId)) === pg.dealEvents) break
    details.reason = 'affaires modifiées pendant la vérification'
  }
  const ok = details!.clickhouse !== null && details!.differences.length === 0
  await deps.db.insertInto('consistency_checks').values({ workspace_id: workspaceId, ok, details: details! }).execute()
  return { ok, details: details! }
}

export const projectionConsistencyCheckJob: JobDefinition<ConsistencyCheckData> = {
  queue: CHECK_CONSISTENCY,
  async handle(data, deps) {
    const workspaces = data.workspaceId
      ? [data.workspaceId]
      : (await deps.db.selectFrom('workspaces').select('id').orderBy('created_at').execute()).map((w) => w.id)
    const failed: string[] = []
    for (const ws of workspaces) {
      const { ok, details } = await checkWorkspace(deps, ws)
      if (!ok) {
        failed.push(ws)
        deps.log(`cohérence ClickHouse/Postgres : écart pour l'espace ${ws} (${details.reason ?? details.differences.map((d) => d.figure).join(', ')})`)
      }
    }
    return { workspaces: workspaces.length, failed }
  },
}
