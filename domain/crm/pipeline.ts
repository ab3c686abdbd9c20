// The default sales pipeline of a French B2B team. Workspaces configure their own
// pipelines and stages (tables pipelines, pipeline_stages; pipeline-config.decide.ts);
// these are the codes the demo, the templates and a new workspace start from.

export type StageKind = 'open' | 'won' | 'lost'
export type Stage = {
  code: string
  label: string
  position: number
  probability: number
  kind: StageKind
  /** The pipeline the stage belongs to (absent on the code defaults). */
  pipeline_id?: string
  /** Archived: no deal may enter it; kept so the history still names it. */
  archived?: boolean
}

export const DEFAULT_STAGES: Stage[] = [
  { code: 'PROSPECT', label: 'Prospect', position: 1, probability: 10, kind: 'open' },
  { code: 'QUALIFICATION', label: 'Qualification', position: 2, probability: 25, kind: 'open' },
  { code: 'PROPOSITION', label: 'Proposition', position: 3, probability: 50, kind: 'open' },
  { code: 'NEGOCIATION', label: 'Négociation', position: 4, probability: 75, kind: 'open' },
  { code: 'SIGNE', label: 'Signé', position: 5, probability: 100, kind: 'won' },
  { code: 'PERDU', label: 'Perdu', position: 6, probability: 0, kind: 'lost' },
]

/** The name of the pipeline a workspace starts with (the migration gives it to existing ones). */
export const DEFAULT_PIPELINE_NAME = 'Pipeline commercial'

export const findStage = (stages: Stage[], code: string) => stages.find((s) => s.code === code)

/** The stages a deal may be in or move to in one pipeline, in board order. */
export const activeStagesOf = (stages: Stage[], pipelineId: string | undefined) =>
  stages.filter((s) => !s.archived && (pipelineId === undefined || s.pipeline_id === undefined || s.pipeline_id === pipelineId))
