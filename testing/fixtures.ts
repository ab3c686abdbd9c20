import { randomUUID } from 'node:crypto'
import type { Db } from '../db/kysely.js'
import { createTeam, createUser, createWorkspace } from '../domain/identity/identity.commands.js'
import type { CommandContext } from '../domain/shared/events.js'
import { testNow } from './clock.js'

export const TEST_PASSWORD = 'motdepasse-de-test'

/** A workspace with one user per role and a team, for tests. Emails are unique per call. */
export async function givenWorkspace(db: Db, name = 'Atelier Test') {
  const tag = randomUUID().slice(0, 8)
  const workspaceId = await createWorkspace(db, { name, slug: `ws-${tag}` })
  const teamId = await createTeam(db, { workspaceId, name: 'Équipe Nord' })
  const mk = (role: 'admin' | 'manager' | 'commercial' | 'finance', inTeam: boolean) =>
    createUser(db, {
      workspaceId,
      email: `${role}-${tag}@exemple.fr`,
      fullName: `${role} ${tag}`,
      password: TEST_PASSWORD,
      role,
      teamId: inTeam ? teamId : null,
    })
  const admin = await mk('admin', false)
  const manager = await mk('manager', true)
  const commercial = await mk('commercial', true)
  const finance = await mk('finance', false)
  const emails = {
    admin: `admin-${tag}@exemple.fr`,
    manager: `manager-${tag}@exemple.fr`,
    commercial: `commercial-${tag}@exemple.fr`,
    finance: `finance-${tag}@exemple.fr`,
  }
  const ctx = (actorId = admin, extra: Partial<CommandContext> = {}): CommandContext => ({ workspaceId, actorId, now: testNow(), source: 'web', ...extra })
  return { workspaceId, teamId, users: { admin, manager, commercial, finance }, emails, ctx }
}

/** A second team in a workspace, with its own manager and commercial (team boundaries). */
export async function givenSecondTeam(db: Db, workspaceId: string, name = 'Équipe Sud') {
  const tag = randomUUID().slice(0, 8)
  const teamId = await createTeam(db, { workspaceId, name })
  const mk = (role: 'manager' | 'commercial') =>
    createUser(db, { workspaceId, email: `${role}-sud-${tag}@exemple.fr`, fullName: `${role} sud ${tag}`, password: TEST_PASSWORD, role, teamId })
  const manager = await mk('manager')
  const commercial = await mk('commercial')
  return { teamId, users: { manager, commercial }, emails: { manager: `manager-sud-${tag}@exemple.fr`, commercial: `commercial-sud-${tag}@exemple.fr` } }
}
