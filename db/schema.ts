import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { QuoteDocumentTables } from './schema/quote-documents.js'
import type { QuoteEditorTables } from './schema/quote-editor.js'
import type { WorkflowRunTables } from './schema/workflow-runs.js'
import type { WorkflowTables } from './schema/workflows.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
// Pass objects, never JSON.stringify: postgres.js encodes jsonb parameters itself.
type Json<T = Record<string, unknown>> = ColumnType<T, T, T>

export type Role = 'admin' | 'manager' | 'commercial' | 'finance'

export interface WorkspaceTable {
  id: string
  name: string
  slug: string
  created_at: Generated<Date>
}

export interface TeamTable {
  id: string
  workspace_id: string
  name: string
  manager_id: string | null
  created_at: Generated<Date>
}

export interface UserTable {
  id: string
  workspace_id: string
  email: string
  full_name: string
  password_hash: string
  role: Role
  team_id: string | null
  locale: Generated<string>
  active: Generated<boolean>
  version: Generated<number>
  created_at: Generated<Date>
}

export interface SessionTable {
  id: string
  user_id: string
  workspace_id: string
  csrf_token: string
  user_agent: string | null
  ip: string | null
  expires_at: Timestamp
  created_at: Generated<Date>
}

export interface LoginAttemptTable {
  id: Generated<number>
  key: string
  success: boolean
  attempted_at: Generated<Date>
}

export type OrganisationStatus = 'prospect' | 'client' | 'ancien_client'

export interface OrganisationTable {
  id: string
  workspace_id: string
  name: string
  siren: string | null
  siret: string | null
  vat_number: string | null
  address: string | null
  postal_code: string | null
  city: string | null
  sector: string | null
  size: string | null
  status: OrganisationStatus
  owner_id: string | null
  shared: boolean
  tags: string[]
  notes: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export interface DealTable {
  id: string
  workspace_id: string
  title: string
  organisation_id: string
  amount_cents: number
  stage: string
  probability: number
  expected_close_date: string | null
  owner_id: string | null
  category: string | null
  source: string | null
  region: string | null
  lost_reason: string | null
  shared: boolean
  contact_ids: string[]
  closed_at: Timestamp | null
  stage_changed_at: Timestamp
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export interface PipelineStageTable {
  workspace_id: string
  code: string
  label: string
  position: number
  probability: number
  kind: 'open' | 'won' | 'lost'
}

export interface EventTable {
  position: Generated<number>
  tx_id: Generated<string>
  workspace_id: string
  stream_type: string
  stream_id: string
  stream_version: number
  type: string
  data: Json
  meta: Json
  occurred_at: Timestamp
}

export interface ProcessedCommandTable {
  workspace_id: string
  command_id: string
  command_type: string
  result: Json
  created_at: Generated<Date>
}

export interface ProjectionCheckpointTable {
  name: string
  tx_id: string
  position: number
  updated_at: Generated<Date>
}

export interface ConsistencyCheckTable {
  id: Generated<number>
  workspace_id: string
  checked_at: Generated<Date>
  ok: boolean
  details: Json
}

export interface ContactTable {
  id: string
  workspace_id: string
  civility: string | null
  first_name: string
  last_name: string
  job_title: string | null
  emails: string[]
  phones: string[]
  organisation_id: string | null
  owner_id: string | null
  shared: boolean
  gdpr_consent: boolean
  consent_source: string | null
  consent_date: string | null
  marketing_opt_out: boolean
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export type ActivityKind = 'note' | 'call' | 'meeting' | 'email'

export interface ActivityTable {
  id: string
  workspace_id: string
  kind: ActivityKind
  subject: string
  body: string | null
  occurred_at: Timestamp
  duration_minutes: number | null
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
  author_id: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export interface SavedFilterTable {
  id: string
  workspace_id: string
  user_id: string
  entity: string
  name: string
  query: string
  created_at: Generated<Date>
}

export interface ImportTable {
  id: string
  workspace_id: string
  user_id: string
  entity: string
  file_name: string
  file_sha256: string
  content: string
  mapping: Json
  status: 'analysed' | 'committed' | 'failed'
  report: Json
  created_at: Generated<Date>
  committed_at: Timestamp | null
}

// A user's dashboard: the ordered widgets ({ id, kind, size, settings }), written as a
// jsonb array (cast from text: postgres.js would send a JS array as a Postgres array).
export interface DashboardLayoutTable {
  id: string
  workspace_id: string
  user_id: string
  widgets: ColumnType<unknown, unknown, unknown>
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

export type GoalScope = 'user' | 'team'

// A revenue goal for one rep or one team over a month ('2026-11') or a quarter ('2026-Q4').
export interface GoalTable {
  id: string
  workspace_id: string
  scope: GoalScope
  scope_id: string
  period: string
  target_cents: number
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  removed_at: Timestamp | null
}

export type OutboundEmailStatus = 'queued' | 'sent' | 'failed'
export type MailProvider = 'resend' | 'mailbox'

// One e-mail: rendered once when enqueued, sent by the `mail.send` job (domain/mail).
export interface OutboundEmailTable {
  id: string
  workspace_id: string
  to: string
  from_address: string
  subject: string
  html: string
  text: string
  template: string
  status: Generated<OutboundEmailStatus>
  provider: MailProvider | null
  provider_id: string | null
  attempts: Generated<number>
  last_error: string | null
  idempotency_key: string
  created_at: Generated<Date>
  sent_at: Timestamp | null
}

export interface NotificationTable {
  id: string
  workspace_id: string
  user_id: string
  kind: string
  title: string
  body: string | null
  link: string | null
  read_at: Timestamp | null
  created_at: Generated<Date>
  dedup_key: string | null
}

export interface NotificationPreferenceTable {
  workspace_id: string
  user_id: string
  kind: string
  email: boolean
  in_app: boolean
  updated_at: Generated<Date>
}

export type TaskPriority = 'urgente' | 'haute' | 'normale' | 'basse'
export type TaskStatus = 'a_faire' | 'en_cours' | 'terminee' | 'annulee'

// A task, or one occurrence of a recurring series (domain/tasks).
export interface TaskTable {
  id: string
  workspace_id: string
  title: string
  description: string | null
  due_at: Timestamp | null
  all_day: boolean
  assignee_id: string | null
  priority: TaskPriority
  status: TaskStatus
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
  rrule: string | null
  series_id: string
  occurrence_index: number
  created_by: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  completed_at: Timestamp | null
  deleted_at: Timestamp | null
}

export type TaskReminderKind = 'j1' | 'j0' | 'overdue_j1'

export interface TaskReminderSentTable {
  task_id: string
  workspace_id: string
  kind: TaskReminderKind
  sent_at: Generated<Date>
}

export interface CalendarTokenTable {
  user_id: string
  workspace_id: string
  token_hash: string
  created_at: Generated<Date>
}

// The product and service catalogue (domain/sales). Prices HT in cents, VAT in basis points.
export interface ProductTable {
  id: string
  workspace_id: string
  code: string | null
  name: string
  description: string | null
  unit: string
  unit_price_cents: number
  vat_rate: number
  vat_exemption: string | null
  category: string | null
  active: boolean
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  archived_at: Timestamp | null
}

export type QuoteStatus = 'brouillon' | 'envoye' | 'accepte' | 'refuse' | 'expire'

// A quote (devis): its current revision's lines and conditions; sent revisions are
// frozen in quote_versions. `lines` and `global_discount` are jsonb (domain/sales/quote.ts).
export interface QuoteTable {
  id: string
  workspace_id: string
  number: string
  year: number
  sequence: number
  revision: number
  status: QuoteStatus
  organisation_id: string
  contact_id: string | null
  deal_id: string | null
  title: string | null
  lines: ColumnType<unknown, unknown, unknown>
  global_discount: ColumnType<unknown, unknown, unknown>
  validity_days: number
  payment_terms: string | null
  notes: string | null
  total_ht_cents: number
  total_vat_cents: number
  total_ttc_cents: number
  sent_at: Timestamp | null
  valid_until: string | null
  sent_sha256: string | null
  accepted_at: Timestamp | null
  accepted_revision: number | null
  signed_by: string | null
  refused_at: Timestamp | null
  refusal_reason: string | null
  expired_at: Timestamp | null
  created_by: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

// One sent revision of a quote, as the customer received it (immutable: a trigger refuses updates).
export interface QuoteVersionTable {
  quote_id: string
  workspace_id: string
  revision: number
  number: string
  snapshot: ColumnType<unknown, unknown, unknown>
  sha256: string
  total_ht_cents: number
  total_vat_cents: number
  total_ttc_cents: number
  valid_until: string
  sent_at: Timestamp
  sent_by: string | null
  created_at: Generated<Date>
}

// The last number handed out per workspace, document kind ('quote', later 'invoice') and year.
export interface DocumentCounterTable {
  workspace_id: string
  kind: string
  year: number
  last: number
}

// Later parts of the app keep their tables in db/schema/<part>.ts.
export interface Database extends WorkflowTables, WorkflowRunTables, QuoteDocumentTables, QuoteEditorTables {
  workspaces: WorkspaceTable
  teams: TeamTable
  users: UserTable
  sessions: SessionTable
  login_attempts: LoginAttemptTable
  organisations: OrganisationTable
  deals: DealTable
  pipeline_stages: PipelineStageTable
  events: EventTable
  processed_commands: ProcessedCommandTable
  projection_checkpoints: ProjectionCheckpointTable
  consistency_checks: ConsistencyCheckTable
  contacts: ContactTable
  activities: ActivityTable
  saved_filters: SavedFilterTable
  imports: ImportTable
  dashboard_layouts: DashboardLayoutTable
  goals: GoalTable
  tasks: TaskTable
  task_reminders_sent: TaskReminderSentTable
  calendar_tokens: CalendarTokenTable
  outbound_emails: OutboundEmailTable
  notifications: NotificationTable
  notification_preferences: NotificationPreferenceTable
  products: ProductTable
  quotes: QuoteTable
  quote_versions: QuoteVersionTable
  document_counters: DocumentCounterTable
}

export type Workspace = Selectable<WorkspaceTable>
export type User = Selectable<UserTable>
export type Organisation = Selectable<OrganisationTable>
export type NewOrganisation = Insertable<OrganisationTable>
export type Deal = Selectable<DealTable>
export type NewDeal = Insertable<DealTable>
export type DealUpdate = Updateable<DealTable>
export type StoredEvent = Selectable<EventTable>
export type PipelineStage = Selectable<PipelineStageTable>
export type Contact = Selectable<ContactTable>
export type Activity = Selectable<ActivityTable>
export type Goal = Selectable<GoalTable>
export type OutboundEmail = Selectable<OutboundEmailTable>
export type Notification = Selectable<NotificationTable>
export type Task = Selectable<TaskTable>
export type Product = Selectable<ProductTable>
export type Quote = Selectable<QuoteTable>
export type QuoteVersion = Selectable<QuoteVersionTable>
