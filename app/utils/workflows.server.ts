import type { AppLoadContext } from '@remix-run/node'
import { loadStages } from '../../domain/crm/crm.repository'
import { canManageWorkflows } from '../../domain/identity/roles'
import { storedDefinition } from '../../domain/workflows/workflow.definition'
import { forbidden, notFound, requireUser, requireUserForm, type Auth } from './auth.server'
import { isUuid } from './forms.server'
import { visibleTo } from './visibility.server'

// Loaders and actions of the workflow screens: who may use them, the workflow of the
// session's workspace, and the choices the editor offers (stages, people, teams).

/** Admins and managers; sales and finance get a 403 page. */
export async function requireWorkflowManager(request: Request, context: AppLoadContext): Promise<Auth> {
  const auth = await requireUser(request, context)
  if (!canManageWorkflows(auth.actor)) throw forbidden()
  return auth
}

export async function requireWorkflowManagerForm(request: Request, context: AppLoadContext) {
  const auth = await requireUserForm(request, context)
  if (!canManageWorkflows(auth.actor)) throw forbidden()
  return auth
}

/** The live workflow `id` of the session's workspace, else a 404 (another workspace's id is simply not found). */
export async function findWorkflowOr404(auth: Auth, id: string | undefined) {
  if (!isUuid(id)) throw notFound()
  const row = await auth.tenant.selectFrom('workflows').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
  if (!row) throw notFound()
  return { ...row, draft: storedDefinition(row.draft) }
}

export type EditorOptions = {
  stages: Array<{ code: string; label: string }>
  users: Array<{ id: string; name: string }>
  teams: Array<{ id: string; name: string }>
}

export async function editorOptions(auth: Auth): Promise<EditorOptions> {
  const [stages, users, teams] = await Promise.all([
    loadStages(auth.tenant.db, auth.user.workspaceId),
    auth.tenant.selectFrom('users').select(['id', 'full_name']).where('active', '=', true).orderBy('full_name').execute(),
    auth.tenant.selectFrom('teams').select(['id', 'name']).orderBy('name').execute(),
  ])
  return {
    stages: stages.map((s) => ({ code: s.code, label: s.label })),
    users: users.map((u) => ({ id: u.id, name: u.full_name })),
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
  }
}

/** The workspace's workflows for the list, with the published version's definition to tell unpublished changes. */
export async function listWorkflows(auth: Auth) {
  const rows = await auth.tenant
    .selectFrom('workflows')
    .leftJoin('workflow_versions', (j) =>
      j.onRef('workflow_versions.workflow_id', '=', 'workflows.id').onRef('workflow_versions.version', '=', 'workflows.published_version'),
    )
    .select([
      'workflows.id',
      'workflows.name',
      'workflows.description',
      'workflows.enabled',
      'workflows.published_version',
      'workflows.draft',
      'workflows.updated_at',
      'workflow_versions.definition as published',
    ])
    // The last real run (dry runs left out), by workflow_runs_list_idx.
    .select((eb) => [
      eb
        .selectFrom('workflow_runs as r')
        .select('r.status')
        .whereRef('r.workspace_id', '=', 'workflows.workspace_id')
        .whereRef('r.workflow_id', '=', 'workflows.id')
        .where('r.dry_run', '=', false)
        .orderBy('r.created_at', 'desc')
        .limit(1)
        .as('last_run_status'),
      eb
        .selectFrom('workflow_runs as r')
        .select('r.id')
        .whereRef('r.workspace_id', '=', 'workflows.workspace_id')
        .whereRef('r.workflow_id', '=', 'workflows.id')
        .where('r.dry_run', '=', false)
        .orderBy('r.created_at', 'desc')
        .limit(1)
        .as('last_run_id'),
    ])
    .where('workflows.deleted_at', 'is', null)
    .orderBy('workflows.name')
    .execute()
  return rows.map((r) => ({ ...r, draft: storedDefinition(r.draft), published: r.published ? storedDefinition(r.published) : null }))
}

export async function publishedDefinition(auth: Auth, id: string, version: number | null) {
  if (version === null) return null
  const row = await auth.tenant
    .selectFrom('workflow_versions')
    .select('definition')
    .where('workflow_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return row ? storedDefinition(row.definition) : null
}

/** Where the inbound webhook of a workflow is posted (part B's route /hooks/workflows/:id). */
export function webhookUrlOf(request: Request, id: string) {
  return new URL(`/hooks/workflows/${id}`, new URL(request.url).origin).toString()
}

/**
 * The subjects of these runs the viewer may open (visibleTo): a run's log shows its
 * record's values, so a manager does not read another team's deal through the run of an
 * administrator's workflow. Runs without a subject (webhook, schedule) are always shown.
 */
export async function visibleRunSubjects(
  auth: Auth,
  runs: Array<{ subject_type: string | null; subject_id: string | null }>,
): Promise<(r: { subject_id: string | null }) => boolean> {
  const ids = (type: string) => [...new Set(runs.filter((r) => r.subject_type === type && r.subject_id).map((r) => r.subject_id!))]
  const dealIds = ids('deal')
  const orgIds = ids('organisation')
  const [deals, orgs] = await Promise.all([
    dealIds.length ? auth.tenant.selectFrom('deals').select('deals.id').where('deals.id', 'in', dealIds).where(visibleTo(auth.actor, 'deals')).execute() : [],
    orgIds.length
      ? auth.tenant
          .selectFrom('organisations')
          .select('organisations.id')
          .where('organisations.id', 'in', orgIds)
          .where(visibleTo(auth.actor, 'organisations'))
          .execute()
      : [],
  ])
  const seen = new Set([...deals, ...orgs].map((r) => r.id))
  return (r) => !r.subject_id || seen.has(r.subject_id)
}
