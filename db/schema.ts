import type { Insertable, Selectable, Updateable } from 'kysely'
import type { ConsistencyCheckTable, EventTable, ProcessedCommandTable, ProjectionCheckpointTable } from './schema/events.js'
import type { ActivityTable, ContactTable, ImportTable, SavedFilterTable } from './schema/crm-records.js'
import type { DealTable, OrganisationTable, PipelineStageTable, PipelineTable } from './schema/crm.js'
import type { DashboardLayoutTable, GoalTable } from './schema/dashboards.js'
import type { ReportTables } from './schema/reports.js'
import type { LoginAttemptTable, SessionTable, TeamTable, UserTable, WorkspaceTable } from './schema/identity.js'
import type { NotificationPreferenceTable, NotificationTable, OutboundEmailTable } from './schema/mail-notifications.js'
import type { QuoteDocumentTables } from './schema/quote-documents.js'
import type { DocumentCounterTable, ProductTable, QuoteTable, QuoteVersionTable } from './schema/sales.js'
import type { CalendarTokenTable, TaskReminderSentTable, TaskTable } from './schema/tasks.js'
import type { WorkflowRunTables } from './schema/workflow-runs.js'
import type { WorkflowTables } from './schema/workflows.js'
import type { SeedTables } from './schema/seed.js'
import type { PhoneTables } from './schema/phone.js'
import type { ContractTables } from './schema/contracts.js'
import type { AccountingTables } from './schema/accounting.js'
import type { ScoringTables } from './schema/scoring.js'
import type { InvoicingTables } from './schema/invoicing.js'
import type { WebhookTables } from './schema/webhooks.js'
import type { CampaignTables } from './schema/campaigns.js'

// The database as kysely sees it: one interface per table, kept by part of the app in
// db/schema/<part>.ts and gathered here. Importers keep importing from db/schema.js.
export * from './schema/crm-records.js'
export * from './schema/crm.js'
export * from './schema/dashboards.js'
export * from './schema/events.js'
export * from './schema/identity.js'
export * from './schema/mail-notifications.js'
export * from './schema/sales.js'
export * from './schema/tasks.js'
export * from './schema/phone.js'
export * from './schema/contracts.js'
export * from './schema/invoicing.js'
export * from './schema/campaigns.js'
export * from './schema/reports.js'

export interface Database
  extends
    WorkflowTables,
    WorkflowRunTables,
    QuoteDocumentTables,
    SeedTables,
    PhoneTables,
    ContractTables,
    AccountingTables,
    InvoicingTables,
    ScoringTables,
    WebhookTables,
    CampaignTables,
    ReportTables {
  workspaces: WorkspaceTable
  teams: TeamTable
  users: UserTable
  sessions: SessionTable
  login_attempts: LoginAttemptTable
  organisations: OrganisationTable
  deals: DealTable
  pipeline_stages: PipelineStageTable
  pipelines: PipelineTable
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
