import type { Db } from '../../db/kysely.js'
import { runCommand } from '../shared/run-command.js'
import { NotFoundError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { dealRepository, loadStages, organisationRepository } from './crm.repository.js'
import { evolveDeal, type DealFields } from './deal.js'
import { changeDealStage, createDeal, deleteDeal, updateDeal } from './deal.decide.js'
import { evolveOrganisation, type OrganisationFields } from './organisation.js'
import { applyWonDealRule, createOrganisation, deleteOrganisation, updateOrganisation } from './organisation.decide.js'
import { findStage, type Stage } from './pipeline.js'
import type { CommandResult } from '../shared/run-command.js'
import type { Deal } from '../../db/schema.js'

// The command handlers routes and jobs call. Each one: load, decide, save + events.

export function createOrganisationCommand(db: Db, ctx: CommandContext, cmd: { id: string; fields: OrganisationFields }) {
  return runCommand(db, ctx, {
    type: 'CreateOrganisation',
    repository: organisationRepository,
    streamId: cmd.id,
    decide: (s) => createOrganisation(s, cmd, ctx),
    evolve: evolveOrganisation,
  })
}

export function updateOrganisationCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion: number; fields: OrganisationFields }) {
  return runCommand(db, ctx, {
    type: 'UpdateOrganisation',
    repository: organisationRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => updateOrganisation(s, cmd, ctx),
    evolve: evolveOrganisation,
  })
}

async function assertOrganisationInWorkspace(db: Db, workspaceId: string, organisationId: string) {
  const org = await db
    .selectFrom('organisations')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', organisationId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  if (!org) throw new ValidationError({ organisation_id: 'organisation.not_found' })
}

async function assertUserInWorkspace(db: Db, workspaceId: string, userId: string | null) {
  if (!userId) return
  const u = await db.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('id', '=', userId).executeTakeFirst()
  if (!u) throw new ValidationError({ owner_id: 'owner.not_found' })
}

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/**
 * After a deal command, in its transaction: a deal that has just entered a won stage
 * makes its organisation a client (ADR 0035), unless a person chose the status by hand.
 * The organisation's change runs without the command id (that id is the deal's).
 */
async function followWonDeal(trx: Db, ctx: CommandContext, r: CommandResult<Deal>, stages: Stage[]) {
  const won = r.events.some((e) => {
    const stage = e.type === 'DealCreated' ? (e.data.stage as string) : e.type === 'DealStageChanged' ? (e.data.to as string) : null
    return stage !== null && findStage(stages, stage)?.kind === 'won'
  })
  if (!won || !r.state) return
  const dealId = r.state.id
  await runCommand(
    trx,
    { ...ctx, commandId: undefined },
    {
      type: 'ApplyWonDealRule',
      repository: organisationRepository,
      streamId: r.state.organisation_id,
      decide: (s) => applyWonDealRule(s, { dealId }, ctx),
      evolve: evolveOrganisation,
    },
  )
}

export async function createDealCommand(db: Db, ctx: CommandContext, cmd: { id: string; fields: DealFields; stage: string; pipelineId?: string | null }) {
  if (cmd.fields.organisation_id) await assertOrganisationInWorkspace(db, ctx.workspaceId, cmd.fields.organisation_id)
  await assertUserInWorkspace(db, ctx.workspaceId, cmd.fields.owner_id)
  const stages = await loadStages(db, ctx.workspaceId)
  return inTransaction(db, async (trx) => {
    const r = await runCommand(trx, ctx, {
      type: 'CreateDeal',
      repository: dealRepository,
      streamId: cmd.id,
      decide: (s) => createDeal(s, cmd, stages, ctx),
      evolve: evolveDeal,
    })
    await followWonDeal(trx, ctx, r, stages)
    return r
  })
}

export async function updateDealCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion: number; fields: DealFields }) {
  if (cmd.fields.organisation_id) await assertOrganisationInWorkspace(db, ctx.workspaceId, cmd.fields.organisation_id)
  await assertUserInWorkspace(db, ctx.workspaceId, cmd.fields.owner_id)
  return runCommand(db, ctx, {
    type: 'UpdateDeal',
    repository: dealRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => updateDeal(s, cmd, ctx),
    evolve: evolveDeal,
  })
}

export async function changeDealStageCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; to: string; lostReason?: string | null; reopenReason?: string | null },
) {
  const stages = await loadStages(db, ctx.workspaceId)
  const r = await inTransaction(db, async (trx) => {
    const r = await runCommand(trx, ctx, {
      type: 'ChangeDealStage',
      repository: dealRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => changeDealStage(s, cmd, stages, ctx),
      evolve: evolveDeal,
    })
    await followWonDeal(trx, ctx, r, stages)
    return r
  })
  if (!r.state) throw new NotFoundError('deal.not_found')
  return r
}

export function deleteOrganisationCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return runCommand(db, ctx, {
    type: 'DeleteOrganisation',
    repository: organisationRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => deleteOrganisation(s, ctx),
    evolve: evolveOrganisation,
  })
}

export function deleteDealCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return runCommand(db, ctx, {
    type: 'DeleteDeal',
    repository: dealRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => deleteDeal(s, ctx),
    evolve: evolveDeal,
  })
}
