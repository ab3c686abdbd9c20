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

/** The workspace's pipeline stages, falling back to the default French pipeline. */
export async function loadStages(db: Db, workspaceId: string): Promise<Stage[]> {
  const rows = await db.selectFrom('pipeline_stages').selectAll().where('workspace_id', '=', workspaceId).orderBy('position').execute()
  return rows.length ? rows : DEFAULT_STAGES
}
