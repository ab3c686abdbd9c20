import type { Db } from '../../../db/kysely.js'
import type { Assignee, Recipient } from '../workflow.definition.js'
import type { SubjectRecords } from './load-context.js'

export type Person = { id: string; full_name: string; email: string }

/** The managers of the owner's team: its manager_id and its members with the manager role. */
async function managersOf(db: Db, workspaceId: string, owner: SubjectRecords['owner']): Promise<Person[]> {
  if (!owner?.team_id) return []
  const teamId = owner.team_id
  return db
    .selectFrom('users')
    .select(['id', 'full_name', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        eb.and([eb('team_id', '=', teamId), eb('role', '=', 'manager')]),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kysely rejects a nullable subquery column in `in` although the where clause excludes nulls
        eb('id', 'in', eb.selectFrom('teams').select('manager_id').where('id', '=', teamId).where('manager_id', 'is not', null) as any),
      ]),
    )
    .orderBy('full_name')
    .execute()
}

/** The users a recipient names (never outside the workspace). E-mail-only kinds give none. */
export async function usersFor(db: Db, workspaceId: string, to: Recipient | Assignee, rec: SubjectRecords): Promise<Person[]> {
  switch (to.kind) {
    case 'owner':
      return rec.owner ? [rec.owner] : []
    case 'manager':
      return managersOf(db, workspaceId, rec.owner)
    case 'user':
      return db
        .selectFrom('users')
        .select(['id', 'full_name', 'email'])
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', to.userId)
        .where('active', '=', true)
        .execute()
    case 'team':
      return db
        .selectFrom('users')
        .select(['id', 'full_name', 'email'])
        .where('workspace_id', '=', workspaceId)
        .where('team_id', '=', to.teamId)
        .where('active', '=', true)
        .orderBy('full_name')
        .execute()
    default:
      return []
  }
}

/** The addresses an e-mail goes to. `email` may hold a variable, rendered by the caller. */
export async function addressesFor(db: Db, workspaceId: string, to: Recipient, rec: SubjectRecords, renderedAddress: string | null): Promise<string[]> {
  if (to.kind === 'contact') return rec.contact?.emails[0] ? [rec.contact.emails[0]] : []
  if (to.kind === 'email')
    return renderedAddress
      ? renderedAddress
          .split(/[,;]/)
          .map((s) => s.trim())
          .filter(Boolean)
      : []
  return (await usersFor(db, workspaceId, to, rec)).map((u) => u.email)
}
