import type { DomainEvent } from '../shared/events.js'
import type { StageKind } from './pipeline.js'

// A pipeline as an admin configures it: its name and its stages. One aggregate (stream
// 'pipeline'), so a reorder or an archive is checked against every stage at once.

export type ConfigStage = { code: string; label: string; position: number; probability: number; kind: StageKind; archived: boolean }

export type PipelineState = {
  id: string
  workspace_id: string
  name: string
  position: number
  version: number
  created_at: Date
  updated_at: Date
  stages: ConfigStage[]
}

type NewStage = Omit<ConfigStage, 'archived'>

export type PipelineCreated = DomainEvent<
  'PipelineCreated',
  { id: string; workspace_id: string; at: string; name: string; position: number; stages: NewStage[] }
>
export type PipelineRenamed = DomainEvent<'PipelineRenamed', { id: string; at: string; name: string }>
export type PipelineStageAdded = DomainEvent<'PipelineStageAdded', { id: string; at: string; stage: NewStage }>
export type PipelineStageUpdated = DomainEvent<'PipelineStageUpdated', { id: string; at: string; code: string; label: string; probability: number }>
/** The open stages' new order (won and lost stay last). */
export type PipelineStagesReordered = DomainEvent<'PipelineStagesReordered', { id: string; at: string; order: string[] }>
/** `moved_to`: where the stage's open deals went (each move is also the deal's own DealStageChanged). */
export type PipelineStageArchived = DomainEvent<'PipelineStageArchived', { id: string; at: string; code: string; moved_to: string | null; open_deals: number }>

export type PipelineEvent = PipelineCreated | PipelineRenamed | PipelineStageAdded | PipelineStageUpdated | PipelineStagesReordered | PipelineStageArchived

export const PIPELINE_STREAM = 'pipeline'

/** Positions 1…n: active open stages in order, then won, lost, then archived ones. */
function renumber(stages: ConfigStage[]): ConfigStage[] {
  const rank = (s: ConfigStage) => (s.archived ? 3 : s.kind === 'open' ? 0 : s.kind === 'won' ? 1 : 2)
  return [...stages].sort((a, b) => rank(a) - rank(b) || a.position - b.position).map((s, i) => ({ ...s, position: i + 1 }))
}

export function evolvePipeline(state: PipelineState | null, event: PipelineEvent): PipelineState {
  const when = new Date(event.data.at)
  switch (event.type) {
    case 'PipelineCreated': {
      const d = event.data
      return {
        id: d.id,
        workspace_id: d.workspace_id,
        name: d.name,
        position: d.position,
        version: 0,
        created_at: when,
        updated_at: when,
        stages: d.stages.map((s) => ({ ...s, archived: false })),
      }
    }
    case 'PipelineRenamed':
      return { ...state!, name: event.data.name, updated_at: when }
    case 'PipelineStageAdded':
      // Added after the last open stage, before won and lost.
      return { ...state!, stages: renumber([...state!.stages, { ...event.data.stage, position: Number.MAX_SAFE_INTEGER, archived: false }]), updated_at: when }
    case 'PipelineStageUpdated': {
      const { code, label, probability } = event.data
      return { ...state!, stages: state!.stages.map((s) => (s.code === code ? { ...s, label, probability } : s)), updated_at: when }
    }
    case 'PipelineStagesReordered': {
      const order = event.data.order
      return {
        ...state!,
        stages: renumber(state!.stages.map((s) => (order.includes(s.code) ? { ...s, position: order.indexOf(s.code) } : s))),
        updated_at: when,
      }
    }
    case 'PipelineStageArchived':
      return { ...state!, stages: renumber(state!.stages.map((s) => (s.code === event.data.code ? { ...s, archived: true } : s))), updated_at: when }
  }
}
