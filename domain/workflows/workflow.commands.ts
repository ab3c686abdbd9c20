import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { runCommand, type CommandResult } from '../shared/run-command.js'
import type { Workflow } from '../../db/schema/workflows.js'
import { loadStages } from '../crm/crm.repository.js'
import { NotFoundError } from '../shared/errors.js'
import { outboundPolicyFromEnv } from '../shared/outbound-http/outbound-policy.js'
import type { CommandContext } from '../shared/events.js'
import type { WorkflowDefinition } from './workflow.definition.js'
import { createWorkflow, deleteWorkflow, disable, enable, publish, rotateSecret, saveDraft } from './workflow.decide.js'
import { workflowRepository } from './workflow.repository.js'
import { validateWorkflow, type ValidationEnv } from './workflow.validate.js'
import { blankDefinition, evolveWorkflow, type WorkflowEvent, type WorkflowState } from './workflow.js'

// The command handlers the editor routes call. Publishing writes the workflow_versions
// row in the same transaction as the WorkflowPublished event, so a version exists iff
// its event does.

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/** A new webhook secret: 32 random bytes, base64url. */
export const newWebhookSecret = () => randomBytes(32).toString('base64url')
const fingerprintOf = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 8)

/** The workspace's stage codes, active users and teams, and who publishes: what validation checks against. */
export async function validationEnv(db: Db, workspaceId: string, actorId: string | null = null): Promise<ValidationEnv> {
  const [stages, users, teams] = await Promise.all([
    loadStages(db, workspaceId),
    db.selectFrom('users').select(['id', 'role', 'team_id']).where('workspace_id', '=', workspaceId).where('active', '=', true).execute(),
    db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).execute(),
  ])
  const me = actorId ? users.find((u) => u.id === actorId) : undefined
  return {
    stages: stages.map((s) => s.code),
    userIds: users.map((u) => u.id),
    teamIds: teams.map((t) => t.id),
    outbound: outboundPolicyFromEnv(),
    // A workflow acts with its publisher's rights (ADR 0023). No actor: the system (seed, tests).
    publisher: actorId
      ? {
          role: me?.role ?? 'commercial',
          teamId: me?.team_id ?? null,
          assignable:
            me?.role === 'admin'
              ? null
              : users
                  .filter((u) => u.id === actorId || (me?.role === 'manager' && !!me.team_id && u.team_id === me.team_id && u.role !== 'finance'))
                  .map((u) => u.id),
        }
      : undefined,
  }
}

const run = (
  db: Db,
  ctx: CommandContext,
  type: string,
  id: string,
  expectedVersion: number | undefined,
  decide: (s: WorkflowState | null) => WorkflowEvent[],
  secret?: string,
) =>
  runCommand<WorkflowState, WorkflowEvent>(db, ctx, {
    type,
    repository: workflowRepository,
    streamId: id,
    expectedVersion,
    decide,
    evolve: (s, e) => evolveWorkflow(s, e, secret),
  })

/** Writes the version row of each WorkflowPublished among `events`. */
async function storeVersions(trx: Db, ctx: CommandContext, r: CommandResult<WorkflowState>) {
  for (const e of r.events as WorkflowEvent[]) {
    if (e.type !== 'WorkflowPublished' || !r.state) continue
    await trx
      .insertInto('workflow_versions')
      .values({
        workflow_id: r.state.id,
        version: e.data.version,
        workspace_id: ctx.workspaceId,
        trigger_kind: e.data.trigger_kind,
        definition: r.state.draft,
        published_at: ctx.now,
        published_by: ctx.actorId,
      })
      .execute()
  }
}

export function createWorkflowCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; name: string; description?: string; templateKey?: string | null; draft?: WorkflowDefinition },
) {
  return run(db, ctx, 'CreateWorkflow', cmd.id, undefined, (s) => createWorkflow(s, { ...cmd, draft: cmd.draft ?? blankDefinition() }, ctx), newWebhookSecret())
}

export function saveWorkflowDraftCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; name: string; description: string; draft: unknown },
) {
  return run(db, ctx, 'SaveWorkflowDraft', cmd.id, cmd.expectedVersion, (s) => saveDraft(s, cmd, ctx))
}

/**
 * Saves what the editor posted (if given) and publishes it as the next version, in one
 * transaction: an invalid draft is refused (ValidationError with keyed error codes) and
 * nothing is saved or published.
 */
export function publishWorkflowCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; save?: { name: string; description: string; draft: unknown } },
) {
  return inTransaction(db, async (trx) => {
    const env = await validationEnv(trx, ctx.workspaceId, ctx.actorId)
    const r = await run(trx, ctx, 'PublishWorkflow', cmd.id, cmd.expectedVersion, (s) => {
      const events = cmd.save ? saveDraft(s, cmd.save, ctx) : []
      let after = s
      for (const e of events) after = evolveWorkflow(after, e)
      return [...events, ...publish(after, { validation: validateWorkflow(after?.draft, env) }, ctx)]
    })
    await storeVersions(trx, ctx, r)
    return r
  })
}

export function enableWorkflowCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return inTransaction(db, async (trx) => {
    const env = await validationEnv(trx, ctx.workspaceId, ctx.actorId)
    const r = await run(trx, ctx, 'EnableWorkflow', cmd.id, cmd.expectedVersion, (s) =>
      enable(s, { validation: s ? validateWorkflow(s.draft, env) : null }, ctx),
    )
    await storeVersions(trx, ctx, r)
    return r
  })
}

export const disableWorkflowCommand = (db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) =>
  run(db, ctx, 'DisableWorkflow', cmd.id, cmd.expectedVersion, (s) => disable(s, ctx))

export const deleteWorkflowCommand = (db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) =>
  run(db, ctx, 'DeleteWorkflow', cmd.id, cmd.expectedVersion, (s) => deleteWorkflow(s, ctx))

/** A new secret for the inbound webhook URL; the old one stops working at once. Returns it so the page can show it once. */
export async function rotateWebhookSecretCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number },
): Promise<CommandResult<Workflow> & { secret: string }> {
  const secret = newWebhookSecret()
  const r = await run(db, ctx, 'RotateWebhookSecret', cmd.id, cmd.expectedVersion, (s) => rotateSecret(s, { fingerprint: fingerprintOf(secret) }, ctx), secret)
  if (!r.state) throw new NotFoundError('workflow.not_found')
  return { ...r, secret }
}
