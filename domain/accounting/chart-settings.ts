import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { ConcurrencyError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { DEFAULT_CHART, validateChart, type ChartOfAccounts } from './chart.js'

// The chart of accounts of a workspace in Postgres (accounting_settings): the French
// defaults until an administrator or finance saves /settings/accounting. Saved charts
// apply to entries posted afterwards; posted entries keep their accounts.

export type ChartSettings = { chart: ChartOfAccounts; version: number }

export async function loadChart(db: Db, workspaceId: string): Promise<ChartSettings> {
  const row = await db.selectFrom('accounting_settings').select(['chart', 'version']).where('workspace_id', '=', workspaceId).executeTakeFirst()
  if (!row) return { chart: DEFAULT_CHART, version: 0 }
  // Keys added to the defaults later are filled in for a chart saved before them.
  const saved = row.chart as Partial<ChartOfAccounts>
  return { chart: { ...DEFAULT_CHART, ...saved, vat_collected: { ...DEFAULT_CHART.vat_collected, ...saved.vat_collected } }, version: row.version }
}

/** Saves the chart if its version is still `expectedVersion` (0 = never saved). */
export async function saveChartCommand(db: Db, ctx: CommandContext, cmd: { expectedVersion: number; chart: ChartOfAccounts }): Promise<ChartSettings> {
  const chart = validateChart(cmd.chart)
  const version = cmd.expectedVersion + 1
  const values = {
    workspace_id: ctx.workspaceId,
    chart: sql`cast(cast(${JSON.stringify(chart)} as text) as jsonb)`,
    version,
    updated_at: ctx.now,
    updated_by: ctx.actorId,
  }
  const done =
    cmd.expectedVersion === 0
      ? await db
          .insertInto('accounting_settings')
          .values(values)
          .onConflict((oc) => oc.column('workspace_id').doNothing())
          .returning('version')
          .executeTakeFirst()
      : await db
          .updateTable('accounting_settings')
          .set(values)
          .where('workspace_id', '=', ctx.workspaceId)
          .where('version', '=', cmd.expectedVersion)
          .returning('version')
          .executeTakeFirst()
  if (!done) throw new ConcurrencyError()
  return { chart, version }
}
