import type { Db } from '../../../db/kysely.js'
import { definitionSchema, type WorkflowDefinition } from '../workflow.definition.js'

// A published version never changes, so its parsed definition is cached for good.
const cache = new Map<string, WorkflowDefinition>()

export const parseDefinition = (raw: unknown): WorkflowDefinition => definitionSchema.parse(raw)

export async function loadDefinition(db: Db, workflowId: string, version: number): Promise<WorkflowDefinition> {
  const key = `${workflowId}:${version}`
  const hit = cache.get(key)
  if (hit) return hit
  const row = await db
    .selectFrom('workflow_versions')
    .select('definition')
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirstOrThrow()
  const def = parseDefinition(row.definition)
  cache.set(key, def)
  return def
}

export type ActiveWorkflow = {
  id: string
  workspace_id: string
  owner_id: string | null
  name: string
  version: number
  trigger_kind: string
  published_at: Date
  definition: WorkflowDefinition
}

/** Enabled, published, not deleted workflows of these workspaces with one of these trigger kinds. */
export async function activeWorkflows(db: Db, q: { workspaceIds?: string[]; kinds: string[] }): Promise<ActiveWorkflow[]> {
  if (q.kinds.length === 0 || (q.workspaceIds && q.workspaceIds.length === 0)) return []
  let query = db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.published_version'))
    .select(['w.id', 'w.workspace_id', 'w.owner_id', 'w.name', 'v.version', 'v.trigger_kind', 'v.published_at'])
    .where('w.enabled', '=', true)
    .where('w.deleted_at', 'is', null)
    .where('v.trigger_kind', 'in', q.kinds)
  if (q.workspaceIds) query = query.where('w.workspace_id', 'in', q.workspaceIds)
  const rows = await query.execute()
  return Promise.all(
    rows.map(async (r) => ({ ...r, published_at: new Date(r.published_at as unknown as Date), definition: await loadDefinition(db, r.id, r.version) })),
  )
}
