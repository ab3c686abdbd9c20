import { z } from 'zod'

// What a workflow is, as stored (workflow_versions.definition, workflows.draft): the
// contract between the editor (visual and no-JS form), validation, and the engine that
// runs it. A definition is a trigger, optional entry conditions, and a tree of steps:
// every step but a branch has one `next`; a branch has `then` and `else`. A step has at
// most one parent (a tree, no merges), so the no-JS editor can show it as ordered steps
// with branch sections and the engine can name a step's position by its id alone.
//
// Variables and condition fields use French dotted paths (`organisation.nom`,
// `affaire.montant`), the names users see in `{{…}}` placeholders.

// ---------------------------------------------------------------- triggers

export const TRIGGER_KINDS = [
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'organisation.created',
  'organisation.updated',
  'inactivity',
  'webhook',
  'schedule',
] as const
export type TriggerKind = (typeof TRIGGER_KINDS)[number]

export const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deal.created') }),
  // `fields`: fire only when one of these changed (variable paths, e.g. 'affaire.montant'); empty = any change.
  z.object({ kind: z.literal('deal.updated'), fields: z.array(z.string()).default([]) }),
  // null = any stage.
  z.object({ kind: z.literal('deal.stage_changed'), from: z.string().nullable().default(null), to: z.string().nullable().default(null) }),
  z.object({ kind: z.literal('organisation.created') }),
  z.object({ kind: z.literal('organisation.updated'), fields: z.array(z.string()).default([]) }),
  // No activity logged on the record for `days` days; fires once per period of inactivity
  // (a new activity starts a new period). `stage`: deals only, optional.
  z.object({
    kind: z.literal('inactivity'),
    entity: z.enum(['deal', 'organisation']),
    days: z.number().int().min(1).max(3650),
    stage: z.string().nullable().default(null),
  }),
  // POST to /hooks/workflows/<workflow id> signed with the workflow's secret; the JSON body is `webhook.*`.
  z.object({ kind: z.literal('webhook') }),
  // Five-field cron, Europe/Paris.
  z.object({ kind: z.literal('schedule'), cron: z.string().min(1) }),
])
export type Trigger = z.infer<typeof triggerSchema>

/** The record a run is about: deal triggers → the deal (with its organisation and first contact), organisation triggers → the organisation. */
export function subjectOf(trigger: Trigger): 'deal' | 'organisation' | null {
  switch (trigger.kind) {
    case 'deal.created':
    case 'deal.updated':
    case 'deal.stage_changed':
      return 'deal'
    case 'organisation.created':
    case 'organisation.updated':
      return 'organisation'
    case 'inactivity':
      return trigger.entity
    case 'webhook':
    case 'schedule':
      return null
  }
}

// ---------------------------------------------------------------- conditions

export const CONDITION_OPS = ['eq', 'neq', 'gt', 'lt', 'contains', 'empty', 'not_empty', 'in'] as const
export type ConditionOp = (typeof CONDITION_OPS)[number]

export type Condition = { field: string; op: ConditionOp; value?: string | null }
export type ConditionGroup = { combinator: 'and' | 'or'; rules: Array<Condition | ConditionGroup> }

// `value` is always the text the user typed: numbers and money in euros ("100000",
// "1 500,50"), dates as YYYY-MM-DD, `in` as a comma-separated list. The engine parses it
// by the field's type.
export const conditionSchema = z.object({
  field: z.string().min(1),
  op: z.enum(CONDITION_OPS),
  value: z.string().nullable().optional(),
})
export const conditionGroupSchema: z.ZodType<ConditionGroup> = z.lazy(() =>
  z.object({ combinator: z.enum(['and', 'or']), rules: z.array(z.union([conditionSchema, conditionGroupSchema])) }),
)
export const isGroup = (r: Condition | ConditionGroup): r is ConditionGroup => 'combinator' in r

// ---------------------------------------------------------------- steps

/** Who receives an e-mail or a notification. `manager`: the managers of the record owner's team. */
export const recipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('owner') }),
  z.object({ kind: z.literal('manager') }),
  z.object({ kind: z.literal('contact') }), // e-mail only: the deal's first contact / the organisation's first contact
  z.object({ kind: z.literal('user'), userId: z.string().uuid() }),
  z.object({ kind: z.literal('team'), teamId: z.string().uuid() }),
  z.object({ kind: z.literal('email'), address: z.string() }), // e-mail only; may hold a variable
])
export type Recipient = z.infer<typeof recipientSchema>

export const assigneeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('owner') }),
  z.object({ kind: z.literal('manager') }),
  z.object({ kind: z.literal('user'), userId: z.string().uuid() }),
])
export type Assignee = z.infer<typeof assigneeSchema>

const base = { id: z.string().regex(/^[a-z0-9_-]{1,40}$/i), label: z.string().max(120).optional() }
const next = z.string().nullable().default(null)

export const stepSchema = z.discriminatedUnion('type', [
  // subject and body are templates ({{organisation.nom}}); body is plain text, paragraphs split on blank lines.
  z.object({ ...base, type: z.literal('send_email'), to: recipientSchema, subject: z.string(), body: z.string(), next }),
  z.object({
    ...base,
    type: z.literal('create_task'),
    title: z.string(),
    description: z.string().default(''),
    assignee: assigneeSchema,
    dueInDays: z.number().int().min(0).max(3650),
    priority: z.enum(['low', 'normal', 'high']).default('normal'),
    next,
  }),
  // `field`: an updatable variable path (VARIABLES[…].updatable); `value`: template text parsed by the field's type.
  z.object({ ...base, type: z.literal('update_field'), field: z.string(), value: z.string(), next }),
  z.object({ ...base, type: z.literal('notify'), to: recipientSchema, title: z.string(), body: z.string().default(''), next }),
  // POST JSON, signed per Standard Webhooks with the workflow secret (webhook-id, webhook-timestamp, webhook-signature).
  // `body`: a JSON template; empty = the run's context.
  z.object({
    ...base,
    type: z.literal('webhook'),
    url: z.string(),
    body: z.string().default(''),
    timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
    next,
  }),
  z.object({
    ...base,
    type: z.literal('assign'),
    mode: z.enum(['user', 'round_robin']),
    userId: z.string().uuid().nullable().default(null),
    teamId: z.string().uuid().nullable().default(null),
    next,
  }),
  z.object({ ...base, type: z.literal('add_tag'), tag: z.string(), next }),
  // Either a duration or until a date field of the subject (plus an offset in days, may be negative).
  z.object({
    ...base,
    type: z.literal('delay'),
    mode: z.enum(['duration', 'until_field']),
    amount: z.number().int().min(0).max(100_000).default(0),
    unit: z.enum(['minutes', 'hours', 'days']).default('days'),
    field: z.string().nullable().default(null),
    offsetDays: z.number().int().min(-3650).max(3650).default(0),
    next,
  }),
  z.object({ ...base, type: z.literal('branch'), condition: conditionGroupSchema, then: next, else: next }),
])
export type Step = z.infer<typeof stepSchema>
export type StepType = Step['type']
export const STEP_TYPES: StepType[] = ['send_email', 'create_task', 'update_field', 'notify', 'webhook', 'assign', 'add_tag', 'delay', 'branch']

export const definitionSchema = z.object({
  trigger: triggerSchema,
  /** Entry conditions: a run starts only when they hold (null = always). */
  conditions: conditionGroupSchema.nullable().default(null),
  /** The first step, null for an empty workflow (valid as a draft, not publishable). */
  start: z.string().nullable().default(null),
  /** Display order of the no-JS editor; execution follows start/next/then/else. */
  steps: z.array(stepSchema),
  /** Node positions of the visual editor; ignored by the engine. */
  layout: z.record(z.object({ x: z.number(), y: z.number() })).default({}),
})
export type WorkflowDefinition = z.infer<typeof definitionSchema>

/** The steps a step leads to. */
export const childrenOf = (s: Step): Array<string | null> => (s.type === 'branch' ? [s.then, s.else] : [s.next])

// ---------------------------------------------------------------- variables

export type VariableType = 'text' | 'number' | 'money' | 'date' | 'stage' | 'list' | 'boolean'
export type Variable = {
  path: string
  label: string
  type: VariableType
  /** Which subject provides it; null = every run. */
  subject: 'deal' | 'organisation' | null
  /** update_field may write it; names the column it maps to on the subject. */
  updatable?: { entity: 'deal' | 'organisation'; column: string }
}

// Money is in euros in conditions and templates (the engine converts from cents).
export const VARIABLES: Variable[] = [
  { path: 'affaire.titre', label: 'Titre de l’affaire', type: 'text', subject: 'deal', updatable: { entity: 'deal', column: 'title' } },
  { path: 'affaire.montant', label: 'Montant HT (€)', type: 'money', subject: 'deal', updatable: { entity: 'deal', column: 'amount_cents' } },
  { path: 'affaire.etape', label: 'Étape', type: 'stage', subject: 'deal', updatable: { entity: 'deal', column: 'stage' } },
  {
    path: 'affaire.date_cloture',
    label: 'Date de clôture prévue',
    type: 'date',
    subject: 'deal',
    updatable: { entity: 'deal', column: 'expected_close_date' },
  },
  { path: 'affaire.categorie', label: 'Catégorie de produit', type: 'text', subject: 'deal', updatable: { entity: 'deal', column: 'category' } },
  { path: 'affaire.source', label: 'Source', type: 'text', subject: 'deal', updatable: { entity: 'deal', column: 'source' } },
  { path: 'affaire.region', label: 'Région', type: 'text', subject: 'deal', updatable: { entity: 'deal', column: 'region' } },
  { path: 'affaire.lien', label: 'Lien vers l’affaire', type: 'text', subject: 'deal' },
  { path: 'organisation.nom', label: 'Nom de l’organisation', type: 'text', subject: null, updatable: { entity: 'organisation', column: 'name' } },
  { path: 'organisation.siren', label: 'SIREN', type: 'text', subject: null },
  { path: 'organisation.statut', label: 'Statut de l’organisation', type: 'text', subject: null, updatable: { entity: 'organisation', column: 'status' } },
  { path: 'organisation.secteur', label: 'Secteur d’activité', type: 'text', subject: null, updatable: { entity: 'organisation', column: 'sector' } },
  { path: 'organisation.taille', label: 'Taille', type: 'text', subject: null, updatable: { entity: 'organisation', column: 'size' } },
  { path: 'organisation.ville', label: 'Ville', type: 'text', subject: null },
  { path: 'organisation.tags', label: 'Étiquettes', type: 'list', subject: null },
  { path: 'organisation.lien', label: 'Lien vers l’organisation', type: 'text', subject: null },
  { path: 'contact.civilite', label: 'Civilité du contact', type: 'text', subject: null },
  { path: 'contact.prenom', label: 'Prénom du contact', type: 'text', subject: null },
  { path: 'contact.nom', label: 'Nom du contact', type: 'text', subject: null },
  { path: 'contact.email', label: 'E-mail du contact', type: 'text', subject: null },
  { path: 'contact.telephone', label: 'Téléphone du contact', type: 'text', subject: null },
  { path: 'proprietaire.nom', label: 'Nom du responsable', type: 'text', subject: null },
  { path: 'proprietaire.prenom', label: 'Prénom du responsable', type: 'text', subject: null },
  { path: 'proprietaire.email', label: 'E-mail du responsable', type: 'text', subject: null },
  { path: 'declencheur.etape_precedente', label: 'Étape précédente (changement d’étape)', type: 'stage', subject: 'deal' },
  { path: 'declencheur.jours_inactivite', label: 'Jours sans activité', type: 'number', subject: null },
  { path: 'date.aujourdhui', label: 'Date du jour', type: 'date', subject: null },
  { path: 'année', label: 'Année en cours', type: 'number', subject: null },
]
// `webhook.<key>` (any key of the inbound JSON body) is also valid for webhook triggers.

/**
 * The variables a workflow with this trigger may use. Organisation, contact and owner
 * variables exist for deal and organisation subjects; webhook and schedule runs have no
 * record, so only dates (and webhook.*) apply.
 */
export function variablesFor(trigger: Trigger): Variable[] {
  const subject = subjectOf(trigger)
  return VARIABLES.filter((v) => {
    if (v.path.startsWith('declencheur.etape_precedente')) return trigger.kind === 'deal.stage_changed'
    if (v.path === 'declencheur.jours_inactivite') return trigger.kind === 'inactivity'
    if (subject === null) return v.path === 'date.aujourdhui' || v.path === 'année'
    if (v.subject === 'deal') return subject === 'deal'
    return true
  })
}

/**
 * A definition read back from the database (workflows.draft, workflow_versions.definition),
 * which only knows it as a JSON object. Only the workflow commands write these columns,
 * and they parse with `definitionSchema` first, so the stored JSON is a definition; the
 * engine re-parses published versions once (engine/definitions.ts) before running them.
 */
export const storedDefinition = (raw: Record<string, unknown>): WorkflowDefinition => raw as unknown as WorkflowDefinition
