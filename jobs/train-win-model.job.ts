import { trainWinModelVersion } from '../domain/scoring/win-model-versions.server.js'
import type { JobDefinition } from './job.js'

// scoring.train-win-model: trains each workspace's win model from its event log and
// activates the new version (or records why the stage table stays in use). With
// `workspaceId`, only that workspace (the admin's "Réentraîner"). `now` only for tests.

export const TRAIN_WIN_MODEL = 'scoring.train-win-model' as const

export type TrainWinModelData = { workspaceId?: string; now?: string }

export const trainWinModelJob: JobDefinition<TrainWinModelData> = {
  queue: TRAIN_WIN_MODEL,
  async handle(data, deps) {
    const now = data.now ? new Date(data.now) : new Date()
    if (Number.isNaN(now.getTime())) throw new Error(`scoring.train-win-model: invalid now ${data.now}`)
    const ids = data.workspaceId ? [data.workspaceId] : (await deps.db.selectFrom('workspaces').select('id').execute()).map((w) => w.id)
    const results = []
    for (const id of ids) {
      const r = await trainWinModelVersion(deps.db, id, now)
      deps.log(`scoring.train-win-model: ${id} → ${r.status} (${r.closedDeals} affaires clôturées)`)
      results.push(r)
    }
    return { trained: results.length }
  },
}
