import type { Runtime } from '../../runtime/runtime'
import { loadStages } from '../../domain/crm/crm.repository'
import { projectionLag } from '../../projections/lag'
import { openPipelineByStage } from '../../projections/queries/pipeline'

export type PipelineRow = { stage: string; label: string; kind: 'open' | 'won' | 'lost'; deals: number; amountCents: number; weightedCents: number }

/**
 * The open pipeline by stage from ClickHouse, in the workspace's stage order with its
 * French labels. chDB and a ClickHouse server type UInt64 differently: Number() both.
 */
export async function pipelineByStage(rt: Runtime, workspaceId: string): Promise<PipelineRow[]> {
  const [rows, stages] = await Promise.all([openPipelineByStage(rt.ch, workspaceId), loadStages(rt.db, workspaceId)])
  const byCode = new Map(stages.map((s) => [s.code, s]))
  return rows
    .map((r) => {
      const s = byCode.get(r.stage)
      return {
        stage: r.stage,
        label: s?.label ?? r.stage,
        kind: s?.kind ?? 'open',
        position: s?.position ?? 999,
        deals: Number(r.deals),
        amountCents: Number(r.amount_cents),
        weightedCents: Number(r.weighted_cents),
      }
    })
    .sort((a, b) => a.position - b.position)
    .map(({ position: _p, ...r }) => r)
}

export type Lag = { events: number; seconds: number }

export async function lagOf(rt: Runtime): Promise<Lag> {
  const lag = await projectionLag(rt.db)
  return { events: Number(lag.events), seconds: Number(lag.seconds) }
}
