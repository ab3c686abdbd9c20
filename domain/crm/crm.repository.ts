import type { Db } from '../../db/kysely.js'
import { tableRepository } from '../shared/run-command.js'
import type { Activity, Contact, Deal, Organisation } from '../../db/schema.js'
import { ACTIVITY_STREAM } from './activity.js'
import { CONTACT_STREAM } from './contact.js'
import { DEAL_STREAM } from './deal.js'
import { ORGANISATION_STREAM } from './organisation.js'
import { DEFAULT_STAGES, type Stage } from './pipeline.js'

export const organisationRepository = tableRepository<Organisation>('organisations', ORGANISATION_STREAM)
export const dealRepository = tableRepository<Deal>('deals', DEAL_STREAM)
export const contactRepository = tableRepository<Contact>('contacts', CONTACT_STREAM)
export const activityRepository = tableRepository<Activity>('activities', ACTIVITY_STREAM)

/**
 * The workspace's stages, of every pipeline (archived ones too: the history names them),
 * in pipeline order then board order; the default French pipeline when it has none.
 */
export async function loadStages(db: Db, workspaceId: string): Promise<Stage[]> {
  const rows = await db
    .selectFrom('pipeline_stages as s')
    .innerJoin('pipelines as p', 'p.id', 's.pipeline_id')
    .select(['s.code', 's.label', 's.position', 's.probability', 's.kind', 's.pipeline_id', 's.archived_at'])
    .where('s.workspace_id', '=', workspaceId)
    .orderBy('p.position')
    .orderBy('p.name')
    .orderBy('s.position')
    .execute()
  return rows.length ? rows.map(({ archived_at, ...s }) => ({ ...s, archived: !!archived_at })) : DEFAULT_STAGES
}

export type PipelineSummary = { id: string; name: string; position: number }

/** The workspace's pipelines, in the order the selector shows them (the first is the default). */
export function loadPipelines(db: Db, workspaceId: string): Promise<PipelineSummary[]> {
  return db.selectFrom('pipelines').select(['id', 'name', 'position']).where('workspace_id', '=', workspaceId).orderBy('position').orderBy('name').execute()
}
