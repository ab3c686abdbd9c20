import type { Db } from '../../db/kysely.js'
import { runCommand } from '../shared/run-command.js'
import { ValidationError, type Problem } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { activityRepository, contactRepository } from './crm.repository.js'
import { evolveActivity, type ActivityFields } from './activity.js'
import { deleteActivity, logActivity, updateActivity } from './activity.decide.js'
import { evolveContact, type ContactFields } from './contact.js'
import { createContact, deleteContact, updateContact } from './contact.decide.js'

// References must point inside the workspace: an id of another tenant is "not found".
async function assertInWorkspace(
  db: Db,
  ws: string,
  refs: { organisation_id?: string | null; contact_id?: string | null; deal_id?: string | null; owner_id?: string | null },
) {
  const check = async (table: 'organisations' | 'contacts' | 'deals' | 'users', id: string | null | undefined, field: string, problem: Problem) => {
    if (!id) return
    const q = db.selectFrom(table).select('id').where('workspace_id', '=', ws).where('id', '=', id)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- users have no deleted_at; kysely cannot narrow the table union by the check above
    const row = await (table === 'users' ? q : q.where('deleted_at' as any, 'is', null)).executeTakeFirst()
    if (!row) throw new ValidationError({ [field]: problem })
  }
  await check('organisations', refs.organisation_id, 'organisation_id', 'organisation.not_found')
  await check('contacts', refs.contact_id, 'contact_id', 'contact.not_found')
  await check('deals', refs.deal_id, 'deal_id', 'deal.not_found')
  await check('users', refs.owner_id, 'owner_id', 'owner.not_found')
}

export async function createContactCommand(db: Db, ctx: CommandContext, cmd: { id: string; fields: ContactFields }) {
  await assertInWorkspace(db, ctx.workspaceId, cmd.fields)
  return runCommand(db, ctx, {
    type: 'CreateContact',
    repository: contactRepository,
    streamId: cmd.id,
    decide: (s) => createContact(s, cmd, ctx),
    evolve: evolveContact,
  })
}

export async function updateContactCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion: number; fields: ContactFields }) {
  await assertInWorkspace(db, ctx.workspaceId, cmd.fields)
  return runCommand(db, ctx, {
    type: 'UpdateContact',
    repository: contactRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => updateContact(s, cmd, ctx),
    evolve: evolveContact,
  })
}

export function deleteContactCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return runCommand(db, ctx, {
    type: 'DeleteContact',
    repository: contactRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => deleteContact(s, ctx),
    evolve: evolveContact,
  })
}

export async function logActivityCommand(db: Db, ctx: CommandContext, cmd: { id: string; fields: ActivityFields }) {
  await assertInWorkspace(db, ctx.workspaceId, cmd.fields)
  return runCommand(db, ctx, {
    type: 'LogActivity',
    repository: activityRepository,
    streamId: cmd.id,
    decide: (s) => logActivity(s, cmd, ctx),
    evolve: evolveActivity,
  })
}

export async function updateActivityCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion: number; fields: ActivityFields }) {
  await assertInWorkspace(db, ctx.workspaceId, cmd.fields)
  return runCommand(db, ctx, {
    type: 'UpdateActivity',
    repository: activityRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => updateActivity(s, cmd, ctx),
    evolve: evolveActivity,
  })
}

export function deleteActivityCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return runCommand(db, ctx, {
    type: 'DeleteActivity',
    repository: activityRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => deleteActivity(s, ctx),
    evolve: evolveActivity,
  })
}
