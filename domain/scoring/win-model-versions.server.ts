import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { DEAL_FEATURES } from './features-as-of.js'
import { loadEventsUntil } from './features-as-of.server.js'
import { allMetrics, reliabilityTable, type Metrics, type ReliabilityRow } from './metrics.js'
import { timeSplit } from './time-split.js'
import { buildTrainingSet } from './training-set.js'
import { evaluateDataset, type WinModel } from './win-model.js'

// Trains a workspace's win model from its event log and records the version. Below
// MIN_CLOSED_DEALS closed deals, or when the trees rank test deals worse than the stage
// table, the version says so ("fallback") and the product keeps the stage probabilities.

export const MIN_CLOSED_DEALS = 200

export type VersionMetrics = {
  model: Metrics
  baseline: Metrics
  tree: Metrics
  stage_table: Metrics
  reliability: ReliabilityRow[]
  stage_reliability: ReliabilityRow[]
}

export async function trainWinModelVersion(db: Db, workspaceId: string, now: Date): Promise<{ id: string; status: 'model' | 'fallback'; closedDeals: number }> {
  const users = await db.selectFrom('users').select(['id', 'team_id']).where('workspace_id', '=', workspaceId).execute()
  const teamOf = new Map(users.map((u) => [u.id, u.team_id]))
  const set = buildTrainingSet(await loadEventsUntil(db, workspaceId, now), now, (id) => teamOf.get(id) ?? null)
  const id = randomUUID()
  const base = { id, workspace_id: workspaceId, trained_at: now, closed_deals: set.closedDeals, features: { names: DEAL_FEATURES.map((f) => f.name) } }
  let row
  if (set.closedDeals < MIN_CLOSED_DEALS) row = { ...base, status: 'fallback' as const, fallback_reason: 'cold_start' as const }
  else {
    const ev = evaluateDataset(set)
    const { test } = timeSplit(set.order)
    const yTest = test.map((i) => set.y[i])
    const pStage = test.map((i) => set.stageProbability[i])
    const metrics: VersionMetrics = {
      model: ev.model,
      baseline: ev.baseline,
      tree: ev.tree,
      stage_table: allMetrics(pStage, yTest),
      reliability: ev.reliability,
      stage_reliability: reliabilityTable(pStage, yTest),
    }
    const better = ev.model.auc >= metrics.stage_table.auc
    row = {
      ...base,
      status: better ? ('model' as const) : ('fallback' as const),
      fallback_reason: better ? null : ('below_stage_table' as const),
      params: ev.winModel.params,
      train_from: new Date(ev.train.from),
      train_to: new Date(ev.train.to),
      test_from: new Date(ev.test.from),
      test_to: new Date(ev.test.to),
      metrics: metrics,
      model: ev.winModel,
    }
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('win_model_versions').set({ active: false }).where('workspace_id', '=', workspaceId).where('active', '=', true).execute()
    await trx
      .insertInto('win_model_versions')
      .values({ ...row, active: true })
      .execute()
  })
  return { id, status: row.status, closedDeals: set.closedDeals }
}

// Predictions load the active version once per process and keep it until a newer one is active.
const cache = new Map<string, { id: string; model: WinModel | null }>()

/** The active version's model, or null when the workspace uses the stage table (none yet, or a fallback). */
export async function activeWinModel(db: Db, workspaceId: string): Promise<WinModel | null> {
  const v = await db
    .selectFrom('win_model_versions')
    .select(['id', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .executeTakeFirst()
  if (!v) return null
  const hit = cache.get(workspaceId)
  if (hit?.id === v.id) return hit.model
  const full = await db.selectFrom('win_model_versions').select(['model']).where('id', '=', v.id).executeTakeFirstOrThrow()
  const model = v.status === 'model' ? (full.model as WinModel) : null
  cache.set(workspaceId, { id: v.id, model })
  return model
}
