import type { TenantDb } from '../../../db/tenant.js'
import type { RunStatus } from '../../../db/schema/workflow-runs.js'

// Reads of the run pages, always through the session's workspace (TenantDb).

export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'skipped']
export const isRunStatus = (s: unknown): s is RunStatus => RUN_STATUSES.includes(s as RunStatus)

export const RUNS_PAGE = 50

export async function findWorkflow(t: TenantDb, id: string) {
  return t
    .selectFrom('workflows')
    .select(['id', 'name', 'published_version', 'enabled', 'draft', 'owner_id'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

/** A workflow's runs, newest first, a page at a time (page 1 = newest). */
export async function listRuns(t: TenantDb, q: { workflowId: string; status: RunStatus | null; page: number }) {
  let query = t
    .selectFrom('workflow_runs')
    .select([
      'id',
      'status',
      'trigger_kind',
      'trigger_event_type',
      'subject_type',
      'subject_id',
      'workflow_version',
      'created_at',
      'finished_at',
      'error',
      'skip_reason',
    ])
    .where('workflow_id', '=', q.workflowId)
  if (q.status) query = query.where('status', '=', q.status)
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(RUNS_PAGE + 1)
    .offset((q.page - 1) * RUNS_PAGE)
    .execute()
  return { runs: rows.slice(0, RUNS_PAGE), hasNext: rows.length > RUNS_PAGE }
}

/** One run with its workflow's name and every step attempt, oldest first. */
export async function getRun(t: TenantDb, runId: string) {
  const run = await t.selectFrom('workflow_runs').selectAll().where('id', '=', runId).executeTakeFirst()
  if (!run) return null
  const [workflow, steps] = await Promise.all([
    t.selectFrom('workflows').select(['id', 'name']).where('id', '=', run.workflow_id).executeTakeFirstOrThrow(),
    t.selectFrom('workflow_run_steps').selectAll().where('run_id', '=', run.id).orderBy('id').execute(),
  ])
  return { run, workflow, steps }
}

/** The dead-letter list: failed runs of every workflow, most recent failure first. */
export async function failedRuns(t: TenantDb, q: { page: number }) {
  const rows = await t
    .selectFrom('workflow_runs')
    .innerJoin('workflows', 'workflows.id', 'workflow_runs.workflow_id')
    .select([
      'workflow_runs.id',
      'workflow_runs.failed_step',
      'workflow_runs.error',
      'workflow_runs.finished_at',
      'workflow_runs.subject_type',
      'workflow_runs.subject_id',
      'workflows.name as workflow_name',
      'workflows.id as workflow_id',
    ])
    .where('workflow_runs.status', '=', 'failed')
    .orderBy('workflow_runs.finished_at', 'desc')
    .orderBy('workflow_runs.id', 'desc')
    .limit(RUNS_PAGE + 1)
    .offset((q.page - 1) * RUNS_PAGE)
    .execute()
  return { runs: rows.slice(0, RUNS_PAGE), hasNext: rows.length > RUNS_PAGE }
}
