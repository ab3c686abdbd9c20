// The default sales pipeline of a French B2B team. Workspaces may configure their own
// stages (table pipeline_stages); these are the codes the demo and the templates use.

export type StageKind = 'open' | 'won' | 'lost'
export type Stage = { code: string; label: string; position: number; probability: number; kind: StageKind }

export const DEFAULT_STAGES: Stage[] = [
  { code: 'PROSPECT', label: 'Prospect', position: 1, probability: 10, kind: 'open' },
  { code: 'QUALIFICATION', label: 'Qualification', position: 2, probability: 25, kind: 'open' },
  { code: 'PROPOSITION', label: 'Proposition', position: 3, probability: 50, kind: 'open' },
  { code: 'NEGOCIATION', label: 'Négociation', position: 4, probability: 75, kind: 'open' },
  { code: 'SIGNE', label: 'Signé', position: 5, probability: 100, kind: 'won' },
  { code: 'PERDU', label: 'Perdu', position: 6, probability: 0, kind: 'lost' },
]

export const findStage = (stages: Stage[], code: string) => stages.find((s) => s.code === code)
