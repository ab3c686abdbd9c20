import type { RawValue } from './feature-encoder.js'
import { DEAL_FEATURES, dealFeaturesAsOf, type LoggedEvent } from './features-as-of.js'
import type { Dataset } from './win-model.js'

// Training examples from the log: at regular snapshot dates, every open deal's features AS
// OF that date, labelled with how it finally closed. A row's `order` is its close date (when
// its label became known), so the time split trains on deals closed earlier and tests on
// deals closed later; a deal may appear at several snapshots (its features then differ).

const DAY = 86_400_000

export type TrainingSet = Dataset & { stageProbability: number[]; dealIds: string[]; closedDeals: number }

export function buildTrainingSet(events: LoggedEvent[], now: Date, teamOf: (userId: string) => string | null = () => null, maxSnapshots = 60): TrainingSet {
  const outcome = new Map<string, { won: boolean; at: Date } | null>()
  for (const e of events) {
    if (e.stream_type !== 'deal' || e.occurred_at.getTime() > now.getTime()) continue
    if (e.type === 'DealCreated') outcome.set(e.stream_id, null)
    else if (e.type === 'DealStageChanged') outcome.set(e.stream_id, e.data.closed ? { won: !e.data.lost_reason, at: e.occurred_at } : null)
    else if (e.type === 'DealDeleted') outcome.delete(e.stream_id)
  }
  const first = events.reduce((m, e) => Math.min(m, e.occurred_at.getTime()), Infinity)
  const cols: Record<string, RawValue[]> = Object.fromEntries(DEAL_FEATURES.map((f) => [f.name, []]))
  const y: number[] = []
  const order: number[] = []
  const stageProbability: number[] = []
  const dealIds: string[] = []
  if (Number.isFinite(first)) {
    const step = Math.max(30 * DAY, Math.ceil((now.getTime() - first) / maxSnapshots))
    const sorted = [...events].sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime())
    for (let t = first + step; t <= now.getTime(); t += step) {
      const asOf = new Date(t)
      let k = 0
      while (k < sorted.length && sorted[k].occurred_at.getTime() <= t) k++
      for (const [id, row] of dealFeaturesAsOf(sorted.slice(0, k), asOf, teamOf)) {
        const o = outcome.get(id)
        if (!o) continue
        for (const f of DEAL_FEATURES) cols[f.name].push(row[f.name])
        y.push(o.won ? 1 : 0)
        order.push(o.at.getTime())
        stageProbability.push(typeof row.stage_probability === 'number' ? row.stage_probability / 100 : 0.5)
        dealIds.push(id)
      }
    }
  }
  return { specs: DEAL_FEATURES, column: (name) => cols[name], y, order, stageProbability, dealIds, closedDeals: new Set(dealIds).size }
}
