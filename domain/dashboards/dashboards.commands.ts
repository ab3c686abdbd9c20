import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { runCommand } from '../shared/run-command.js'
import type { GoalScope, Role } from '../../db/schema.js'
import type { Actor } from '../identity/roles.js'
import { ConcurrencyError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { goalRepository, layoutIdFor, layoutRepository } from './dashboards.repository.js'
import { evolveGoal } from './goal.js'
import { canSetGoal, removeGoal, setGoal, validateGoal } from './goal.decide.js'
import { evolveLayout } from './layout.js'
import { changeLayout, resetLayout, type LayoutChange } from './layout.decide.js'
import { templateFor } from './widgets.js'

// The command handlers of the dashboards context: each one load → decide → save + events.

/** Two first saves at once both insert: the loser gets the "changed meanwhile" answer. */
async function uniqueAsConflict<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new ConcurrencyError()
    throw e
  }
}

// A layout belongs to a person: jobs and the system have none.
function actingUser(ctx: CommandContext): string {
  if (!ctx.actorId) throw new ForbiddenError()
  return ctx.actorId
}

/**
 * Changes the acting user's own layout (never anyone else's: the user is the context's
 * actor). A user without a layout row starts from their role's template, at version 0.
 */
export function changeLayoutCommand(db: Db, ctx: CommandContext, cmd: { role: Role; expectedVersion: number; change: LayoutChange }) {
  const userId = actingUser(ctx)
  const id = layoutIdFor(ctx.workspaceId, userId)
  return uniqueAsConflict(() =>
    runCommand(db, ctx, {
      type: 'ChangeDashboardLayout',
      repository: layoutRepository,
      streamId: id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => changeLayout(s?.widgets ?? templateFor(cmd.role), userId, cmd.change, ctx),
      evolve: evolveLayout({ id, workspace_id: ctx.workspaceId }),
    }),
  )
}

/** "Réinitialiser selon mon rôle": the acting user's layout becomes their role's template. */
export function resetLayoutCommand(db: Db, ctx: CommandContext, cmd: { role: Role; expectedVersion?: number }) {
  const userId = actingUser(ctx)
  const id = layoutIdFor(ctx.workspaceId, userId)
  return uniqueAsConflict(() =>
    runCommand(db, ctx, {
      type: 'ResetDashboardLayout',
      repository: layoutRepository,
      streamId: id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => resetLayout(s !== null, userId, cmd.role, ctx),
      evolve: evolveLayout({ id, workspace_id: ctx.workspaceId }),
    }),
  )
}

/**
 * Sets the goal of a rep or a team for a month or a quarter: one goal per scope and
 * period, so setting it again changes it. Checks that the rep or team is of this
 * workspace and that the actor may set it (admins anyone; managers their team).
 */
export async function setGoalCommand(
  db: Db,
  ctx: CommandContext,
  actor: Actor,
  cmd: { scope: GoalScope; scopeId: string; period: string; targetCents: number; expectedVersion?: number },
) {
  validateGoal({ id: '', ...cmd })
  let teamIdOfUser: string | null = null
  if (cmd.scope === 'user') {
    const u = await db
      .selectFrom('users')
      .select(['id', 'team_id'])
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', cmd.scopeId)
      .executeTakeFirst()
    if (!u) throw new ValidationError({ scope_id: 'sales_rep.not_found' })
    teamIdOfUser = u.team_id
  } else {
    const t = await db.selectFrom('teams').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', cmd.scopeId).executeTakeFirst()
    if (!t) throw new ValidationError({ scope_id: 'team.not_found' })
  }
  if (!canSetGoal(actor, { scope: cmd.scope, scopeId: cmd.scopeId, teamIdOfUser })) throw new ForbiddenError()
  const existing = await db
    .selectFrom('goals')
    .select('id')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('scope', '=', cmd.scope)
    .where('scope_id', '=', cmd.scopeId)
    .where('period', '=', cmd.period)
    .executeTakeFirst()
  const id = existing?.id ?? randomUUID()
  return uniqueAsConflict(() =>
    runCommand(db, ctx, {
      type: 'SetGoal',
      repository: goalRepository,
      streamId: id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => setGoal(s, { id, ...cmd }, ctx),
      evolve: evolveGoal,
    }),
  )
}

export async function removeGoalCommand(db: Db, ctx: CommandContext, actor: Actor, cmd: { id: string; expectedVersion?: number }) {
  const goal = await db
    .selectFrom('goals')
    .select(['id', 'scope', 'scope_id'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', cmd.id)
    .executeTakeFirst()
  if (!goal) throw new NotFoundError('goal.not_found')
  let teamIdOfUser: string | null = null
  if (goal.scope === 'user') {
    const u = await db.selectFrom('users').select('team_id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', goal.scope_id).executeTakeFirst()
    teamIdOfUser = u?.team_id ?? null
  }
  if (!canSetGoal(actor, { scope: goal.scope, scopeId: goal.scope_id, teamIdOfUser })) throw new ForbiddenError()
  return runCommand(db, ctx, {
    type: 'RemoveGoal',
    repository: goalRepository,
    streamId: goal.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => removeGoal(s, ctx),
    evolve: evolveGoal,
  })
}
