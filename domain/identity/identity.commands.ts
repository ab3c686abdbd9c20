import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { appendEvents } from '../shared/run-command.js'
import type { Role } from '../../db/schema.js'
import { DEFAULT_PIPELINE_NAME, DEFAULT_STAGES } from '../crm/pipeline.js'
import { ValidationError } from '../shared/errors.js'
import { hashPassword } from './password.js'

// Workspaces, teams and users change rarely and are created by admins or the seed:
// plain inserts plus their events, in one transaction each.

export async function createWorkspace(db: Db, input: { id?: string; name: string; slug: string; now?: Date }) {
  const id = input.id ?? randomUUID()
  const now = input.now ?? new Date()
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('workspaces').values({ id, name: input.name, slug: input.slug, created_at: now }).execute()
    // The default pipeline, its stages keeping the codes the demo and the templates use.
    const pipelineId = randomUUID()
    await trx
      .insertInto('pipelines')
      .values({ id: pipelineId, workspace_id: id, name: DEFAULT_PIPELINE_NAME, position: 1, version: 1, created_at: now, updated_at: now })
      .execute()
    await trx
      .insertInto('pipeline_stages')
      .values(DEFAULT_STAGES.map((s) => ({ ...s, workspace_id: id, pipeline_id: pipelineId })))
      .execute()
    const meta = { workspaceId: id, actorId: null, now, source: 'seed' } as const
    await appendEvents(trx, meta, 'workspace', id, 0, [{ type: 'WorkspaceCreated', data: { id, name: input.name, slug: input.slug } }])
    await appendEvents(trx, meta, 'pipeline', pipelineId, 0, [
      {
        type: 'PipelineCreated',
        data: { id: pipelineId, workspace_id: id, at: now.toISOString(), name: DEFAULT_PIPELINE_NAME, position: 1, stages: DEFAULT_STAGES },
      },
    ])
  })
  return id
}

export async function createTeam(db: Db, input: { workspaceId: string; id?: string; name: string; managerId?: string | null; now?: Date }) {
  const id = input.id ?? randomUUID()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('teams')
      .values({ id, workspace_id: input.workspaceId, name: input.name, manager_id: input.managerId ?? null })
      .execute()
    await appendEvents(trx, { workspaceId: input.workspaceId, actorId: null, now: input.now ?? new Date(), source: 'seed' }, 'team', id, 0, [
      { type: 'TeamCreated', data: { id, name: input.name } },
    ])
  })
  return id
}

export async function createUser(
  db: Db,
  input: {
    workspaceId: string
    id?: string
    email: string
    fullName: string
    password: string
    role: Role
    teamId?: string | null
    passwordHash?: string
    now?: Date
  },
) {
  const email = input.email.trim().toLowerCase()
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ValidationError({ email: 'email.invalid' })
  if (!input.passwordHash && input.password.length < 10) throw new ValidationError({ password: { code: 'user.password.too_short', params: { min: 10 } } })
  const id = input.id ?? randomUUID()
  const password_hash = input.passwordHash ?? (await hashPassword(input.password))
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('users')
      .values({ id, workspace_id: input.workspaceId, email, full_name: input.fullName, password_hash, role: input.role, team_id: input.teamId ?? null })
      .execute()
    await appendEvents(trx, { workspaceId: input.workspaceId, actorId: null, now: input.now ?? new Date(), source: 'seed' }, 'user', id, 0, [
      { type: 'UserCreated', data: { id, email, full_name: input.fullName, role: input.role, team_id: input.teamId ?? null } },
    ])
  })
  return id
}
