import type { Db } from '../../db/kysely.js'
import type { Repository } from '../../db/run-command.js'
import type { Activity, Contact, Deal, Organisation } from '../../db/schema.js'
import { ACTIVITY_STREAM } from './activity.js'
import { CONTACT_STREAM } from './contact.js'
import { DEAL_STREAM } from './deal.js'
import { ORGANISATION_STREAM } from './organisation.js'
import { DEFAULT_STAGES, type Stage } from './pipeline.js'

export const organisationRepository: Repository<Organisation> = {
  streamType: ORGANISATION_STREAM,
  load: (trx, ws, id) => trx.selectFrom('organisations').selectAll().where('workspace_id', '=', ws).where('id', '=', id).forUpdate().executeTakeFirst().then((r) => r ?? null),
  insert: async (trx, s) => { await trx.insertInto('organisations').values(s).execute() },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = s
    const r = await trx.updateTable('organisations').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).where('version', '=', expected).executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}

export const dealRepository: Repository<Deal> = {
  streamType: DEAL_STREAM,
  load: (trx, ws, id) => trx.selectFrom('deals').selectAll().where('workspace_id', '=', ws).where('id', '=', id).forUpdate().executeTakeFirst().then((r) => r ?? null),
  insert: async (trx, s) => { await trx.insertInto('deals').values(s).execute() },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = s
    const r = await trx.updateTable('deals').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).where('version', '=', expected).executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}

export const contactRepository: Repository<Contact> = {
  streamType: CONTACT_STREAM,
  load: (trx, ws, id) => trx.selectFrom('contacts').selectAll().where('workspace_id', '=', ws).where('id', '=', id).forUpdate().executeTakeFirst().then((r) => r ?? null),
  insert: async (trx, s) => { await trx.insertInto('contacts').values(s).execute() },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = s
    const r = await trx.updateTable('contacts').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).where('version', '=', expected).executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}

export const activityRepository: Repository<Activity> = {
  streamType: ACTIVITY_STREAM,
  load: (trx, ws, id) => trx.selectFrom('activities').selectAll().where('workspace_id', '=', ws).where('id', '=', id).forUpdate().executeTakeFirst().then((r) => r ?? null),
  insert: async (trx, s) => { await trx.insertInto('activities').values(s).execute() },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = s
    const r = await trx.updateTable('activities').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).where('version', '=', expected).executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}

/** The workspace's pipeline stages, falling back to the default French pipeline. */
export async function loadStages(db: Db, workspaceId: string): Promise<Stage[]> {
  const rows = await db.selectFrom('pipeline_stages').selectAll().where('workspace_id', '=', workspaceId).orderBy('position').execute()
  return rows.length ? rows : DEFAULT_STAGES
}
