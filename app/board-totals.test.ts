import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertMany } from '../seed/bulk-insert.js'
import { forWorkspace } from '../db/tenant.js'
import { loadStages } from '../domain/crm/crm.repository.js'
import { changeDealStageCommand, deleteDealCommand, updateDealCommand } from '../domain/crm/crm.commands.js'
import type { Stage } from '../domain/crm/pipeline.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import type { Auth } from './utils/auth.server.js'
import { boardTotals, type BoardFilters } from './utils/pipeline.server.js'

// The board's column totals come from rollups kept by triggers (deal_board_totals per
// day, migration 0016; deal_stage_totals for whole columns, 0017): whatever writes deals,
// they must equal the sums over the deals.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let w: Awaited<ReturnType<typeof givenWorkspace>>
let org: string
let stages: Stage[]

beforeAll(async () => {
  rt = await startTestRuntime({ projector: false })
  w = await givenWorkspace(rt.db, 'Menuiseries du Rhône')
  org = await givenOrganisation(rt.db, w.ctx(), { name: 'Boulangerie Martin' })
  stages = await loadStages(rt.db, w.workspaceId)
})
afterAll(async () => {
  await rt?.stop()
})

const authOf = (role: 'admin' | 'manager' | 'commercial', id: string, teamId: string | null) =>
  ({
    tenant: forWorkspace(rt.db, w.workspaceId),
    actor: { id, workspaceId: w.workspaceId, role, teamId },
    user: { id, workspaceId: w.workspaceId, role },
    now: rt.now,
  }) as unknown as Auth

/** The same figures straight from deals (what the board summed before the rollup). */
async function direct(auth: Auth, f: BoardFilters, now: Date) {
  const since = f.period === 'tout' ? null : new Date(now.getTime() - Number(f.period) * 86_400_000)
  const closed = stages.filter((s) => s.kind !== 'open').map((s) => s.code)
  const visible = auth.actor.role === 'commercial' ? sql`and (owner_id is null or owner_id = ${auth.actor.id} or shared)` : sql``
  const owner = f.owner ? sql`and owner_id = ${f.owner}` : sql``
  const { rows } = await sql<{ stage: string; count: number; amount: string; weighted: string }>`
    select stage, count(*)::int as count, sum(amount_cents)::bigint as amount, round(sum(amount_cents::numeric * probability) / 100)::bigint as weighted
    from deals where workspace_id = ${w.workspaceId} and deleted_at is null ${visible} ${owner}
      and (stage <> all(${closed}) or ${since}::timestamptz is null or stage_changed_at >= ${since})
    group by stage`.execute(rt.db)
  return Object.fromEntries(rows.map((r) => [r.stage, { count: r.count, amountCents: Number(r.amount), weightedCents: Number(r.weighted) }]))
}
const nonEmpty = (t: Record<string, { count: number }>) => Object.fromEntries(Object.entries(t).filter(([, v]) => v.count > 0))

describe('the board totals rollup', () => {
  it('equals the sums over deals after creates, bulk inserts, moves, edits, owner changes and deletes, for each role', async () => {
    const a = await givenDeal(rt.db, w.ctx(), { organisationId: org, amountCents: 4_825_050, ownerId: w.users.commercial })
    const b = await givenDeal(rt.db, w.ctx(), { organisationId: org, amountCents: 1_250_033, ownerId: w.users.commercial })
    const c = await givenDeal(rt.db, w.ctx(), { organisationId: org, amountCents: 999_999, ownerId: null })
    const now = rt.now()
    // A bulk insert (seed, import): one statement, many rows, some closed long ago.
    await insertMany(
      rt.db,
      'deals',
      Array.from({ length: 40 }, (_, i) => ({
        id: randomUUID(),
        workspace_id: w.workspaceId,
        organisation_id: org,
        title: `Lot ${i}`,
        amount_cents: 10_000 + i * 1_003,
        stage: ['PROSPECT', 'PROPOSITION', 'SIGNE', 'PERDU'][i % 4],
        probability: [10, 50, 100, 0][i % 4],
        expected_close_date: null,
        owner_id: i % 3 ? w.users.commercial : w.users.admin,
        shared: i % 5 === 0,
        category: null,
        source: null,
        region: null,
        lost_reason: i % 4 === 3 ? 'Prix' : null,
        contact_ids: [],
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        stage_changed_at: new Date(now.getTime() - i * 5 * 86_400_000),
      })),
    )
    await changeDealStageCommand(rt.db, w.ctx(), { id: a, to: 'NEGOCIATION' })
    await changeDealStageCommand(rt.db, w.ctx(), { id: b, to: 'SIGNE' })
    const row = await rt.db.selectFrom('deals').selectAll().where('id', '=', c).executeTakeFirstOrThrow()
    await updateDealCommand(rt.db, w.ctx(), {
      id: c,
      expectedVersion: row.version,
      fields: {
        title: row.title,
        organisation_id: org,
        amount_cents: 2_000_001,
        expected_close_date: null,
        owner_id: w.users.admin,
        category: null,
        source: null,
        region: null,
      },
    })
    await deleteDealCommand(rt.db, w.ctx(), { id: a })

    const admin = authOf('admin', w.users.admin, null)
    const rep = authOf('commercial', w.users.commercial, w.teamId)
    for (const auth of [admin, rep]) {
      for (const f of [
        { owner: '', team: '', period: '90' },
        { owner: '', team: '', period: '30' },
        { owner: '', team: '', period: 'tout' },
        { owner: w.users.commercial, team: '', period: '365' },
      ] as BoardFilters[]) {
        expect(nonEmpty(await boardTotals(auth, stages, f)), `${auth.actor.role} ${JSON.stringify(f)}`).toEqual(await direct(auth, f, rt.now()))
      }
    }
  })

  it("counts the deals of the window's first day that moved after its start, not those before", async () => {
    const now = rt.now()
    const since = new Date(now.getTime() - 30 * 86_400_000)
    const ids = [
      await givenDeal(rt.db, w.ctx(), { organisationId: org, amountCents: 700_000 }),
      await givenDeal(rt.db, w.ctx(), { organisationId: org, amountCents: 300_000 }),
    ]
    for (const id of ids) await changeDealStageCommand(rt.db, w.ctx(), { id, to: 'PERDU', lostReason: 'Budget' })
    // One a minute inside the 30-day window, one a minute before it (often the same UTC day).
    await rt.db
      .updateTable('deals')
      .set({ stage_changed_at: new Date(since.getTime() + 60_000) })
      .where('id', '=', ids[0])
      .execute()
    await rt.db
      .updateTable('deals')
      .set({ stage_changed_at: new Date(since.getTime() - 60_000) })
      .where('id', '=', ids[1])
      .execute()
    const f: BoardFilters = { owner: '', team: '', period: '30' }
    const admin = authOf('admin', w.users.admin, null)
    expect(nonEmpty(await boardTotals(admin, stages, f))).toEqual(await direct(admin, f, rt.now()))
  })

  it('never mixes workspaces', async () => {
    const other = await givenWorkspace(rt.db, 'Autre Espace')
    const o = await givenOrganisation(rt.db, other.ctx(), { name: 'Concurrent SA' })
    const before = await boardTotals(authOf('admin', w.users.admin, null), stages, { owner: '', team: '', period: '90' })
    await givenDeal(rt.db, other.ctx(), { organisationId: o, amountCents: 77_700_000 })
    expect(await boardTotals(authOf('admin', w.users.admin, null), stages, { owner: '', team: '', period: '90' })).toEqual(before)
  })
})
