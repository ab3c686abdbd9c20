import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRuntime } from '../testing/test-runtime.js'
import { chQuery } from './clickhouse.js'
import { clickHouseMigrations } from './clickhouse/migrations/index.js'
import { migrateClickHouse, renderStatement } from './migrate.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

describe('the ClickHouse migrations', () => {
  it('are recorded once applied and not applied again', async () => {
    const recorded = await chQuery<{ version: number; name: string }>(rt.ch, 'SELECT version, name FROM schema_migrations FINAL ORDER BY version')
    expect(recorded.map((r) => [Number(r.version), r.name])).toEqual(clickHouseMigrations.map((m) => [m.version, m.name]))
    expect(await migrateClickHouse(rt.ch)).toEqual([])
  })

  it('apply a new version after the recorded ones', async () => {
    const extra = {
      version: 999,
      name: 'essai',
      statements: ['CREATE TABLE IF NOT EXISTS essai{on_cluster} (workspace_id UUID, n UInt8) ENGINE = {replicated}MergeTree ORDER BY workspace_id'],
    }
    expect(await migrateClickHouse(rt.ch, { migrations: [...clickHouseMigrations, extra] })).toEqual(['essai'])
    expect(await migrateClickHouse(rt.ch, { migrations: [...clickHouseMigrations, extra] })).toEqual([])
    await rt.ch.command({ query: 'DROP TABLE essai' })
  })

  it('start every read model sort key with workspace_id', async () => {
    const tables = await chQuery<{ name: string; sorting_key: string }>(
      rt.ch,
      "SELECT name, sorting_key FROM system.tables WHERE database = currentDatabase() AND name != 'schema_migrations' ORDER BY name",
    )
    expect(tables.map((t) => t.name)).toEqual([
      'activities',
      'activity_timeline',
      'contract_mrr',
      'deal_created',
      'deal_facts',
      'deal_stage_history',
      'deal_timeline',
      'deals_current',
      'deals_daily',
      'deals_monthly',
      'deals_open',
      'deals_open_daily',
      'finance_invoices',
      'finance_payments',
      'goals',
      'organisations_current',
      'teams',
      'users_teams',
    ])
    for (const t of tables) expect(t.sorting_key).toMatch(/^workspace_id,/)
  })

  it('have an ON CLUSTER variant with replicated engines', () => {
    const ddl = renderStatement(clickHouseMigrations[0].statements[0], 'alforis')
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS deals_current ON CLUSTER alforis (')
    expect(ddl).toContain('ENGINE = ReplicatedReplacingMergeTree(version)')
    expect(renderStatement(clickHouseMigrations[0].statements[0])).toContain('ENGINE = ReplacingMergeTree(version)')
    expect(() => renderStatement('x', 'a; DROP')).toThrow(/invalide/)
  })
})
