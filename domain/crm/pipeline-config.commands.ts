import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { runCommand, type Repository } from '../shared/run-command.js'
import { changeDealStageCommand } from './crm.commands.js'
import { evolvePipeline, PIPELINE_STREAM, type PipelineEvent, type PipelineState } from './pipeline-config.js'
import { addStage, archiveStage, createPipeline, moveStage, renamePipeline, updateStage } from './pipeline-config.decide.js'

// The handlers /settings/pipelines calls: load the pipeline with its stages, decide,
// save the pipeline row and its stage rows, append the events — one transaction each.

export const pipelineRepository: Repository<PipelineState> = {
  streamType: PIPELINE_STREAM,
  async load(trx, ws, id) {
    const p = await trx.selectFrom('pipelines').selectAll().where('workspace_id', '=', ws).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!p) return null
    const stages = await trx
      .selectFrom('pipeline_stages')
      .select(['code', 'label', 'position', 'probability', 'kind', 'archived_at'])
      .where('workspace_id', '=', ws)
      .where('pipeline_id', '=', id)
      .orderBy('position')
      .execute()
    return { ...p, stages: stages.map(({ archived_at, ...s }) => ({ ...s, archived: !!archived_at })) }
  },
  async insert(trx, s) {
    const { stages, ...row } = s
    await trx.insertInto('pipelines').values(row).execute()
    await saveStages(trx, s)
  },
  async update(trx, s, expected) {
    const { stages: _stages, id, workspace_id, ...row } = s
    const r = await trx
      .updateTable('pipelines')
      .set(row)
      .where('id', '=', id)
      .where('workspace_id', '=', workspace_id)
      .where('version', '=', expected)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 1) await saveStages(trx, s)
    return Number(r.numUpdatedRows)
  },
}

async function saveStages(trx: Db, s: PipelineState) {
  await trx
    .insertInto('pipeline_stages')
    .values(
      s.stages.map((x) => ({
        workspace_id: s.workspace_id,
        pipeline_id: s.id,
        code: x.code,
        label: x.label,
        position: x.position,
        probability: x.probability,
        kind: x.kind,
        archived_at: x.archived ? s.updated_at : null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'code']).doUpdateSet({
        label: (eb) => eb.ref('excluded.label'),
        position: (eb) => eb.ref('excluded.position'),
        probability: (eb) => eb.ref('excluded.probability'),
        // The day it was archived stays the first one.
        archived_at: sql`case when excluded.archived_at is null then null else coalesce(pipeline_stages.archived_at, excluded.archived_at) end`,
      }),
    )
    .execute()
}

const run = (db: Db, ctx: CommandContext, type: string, id: string, decide: (s: PipelineState | null) => PipelineEvent[]) =>
  runCommand(db, ctx, { type, repository: pipelineRepository, streamId: id, decide, evolve: evolvePipeline })

async function assertNameFree(db: Db, workspaceId: string, name: string, except?: string) {
  let q = db
    .selectFrom('pipelines')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`lower(name) = lower(${name.trim()})`)
  if (except) q = q.where('id', '!=', except)
  if (await q.executeTakeFirst()) throw new ValidationError({ name: 'pipeline.name.taken' })
}

/** A code no other stage of the workspace has: `S_` and 8 hex digits (URL- and anchor-safe). */
const newStageCode = () => `S_${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`

export async function createPipelineCommand(db: Db, ctx: CommandContext, cmd: { id?: string; name: string }) {
  await assertNameFree(db, ctx.workspaceId, cmd.name)
  const id = cmd.id ?? randomUUID()
  const last = await db
    .selectFrom('pipelines')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('workspace_id', '=', ctx.workspaceId)
    .executeTakeFirst()
  const codePrefix = `P${id.replace(/-/g, '').slice(0, 6).toUpperCase()}_`
  return run(db, ctx, 'CreatePipeline', id, (s) => createPipeline(s, { id, name: cmd.name, position: Number(last?.p ?? 0) + 1, codePrefix }, ctx))
}

export async function renamePipelineCommand(db: Db, ctx: CommandContext, cmd: { id: string; name: string }) {
  await assertNameFree(db, ctx.workspaceId, cmd.name, cmd.id)
  return run(db, ctx, 'RenamePipeline', cmd.id, (s) => renamePipeline(s, cmd, ctx))
}

export function addStageCommand(db: Db, ctx: CommandContext, cmd: { id: string; label: string; probability: number }) {
  return run(db, ctx, 'AddPipelineStage', cmd.id, (s) => addStage(s, { ...cmd, code: newStageCode() }, ctx))
}

export function updateStageCommand(db: Db, ctx: CommandContext, cmd: { id: string; code: string; label: string; probability?: number }) {
  return run(db, ctx, 'UpdatePipelineStage', cmd.id, (s) => updateStage(s, cmd, ctx))
}

export function moveStageCommand(db: Db, ctx: CommandContext, cmd: { id: string; code: string; direction: 'up' | 'down' }) {
  return run(db, ctx, 'MovePipelineStage', cmd.id, (s) => moveStage(s, cmd, ctx))
}

/** The open deals in a stage (an open stage only ever holds open deals). */
export function openDealsIn(db: Db, workspaceId: string, code: string) {
  return db
    .selectFrom('deals')
    .select(['id'])
    .where('workspace_id', '=', workspaceId)
    .where('stage', '=', code)
    .where('deleted_at', 'is', null)
    .where('closed_at', 'is', null)
}

/**
 * Archives a stage and moves its open deals to `moveTo`, all or nothing: each deal gets
 * its own DealStageChanged (the board, the history and the analytics follow it).
 */
export async function archiveStageCommand(db: Db, ctx: CommandContext, cmd: { id: string; code: string; moveTo?: string | null }) {
  return db.transaction().execute(async (trx) => {
    const deals = await openDealsIn(trx, ctx.workspaceId, cmd.code).forUpdate().execute()
    const r = await run(trx, ctx, 'ArchivePipelineStage', cmd.id, (s) => archiveStage(s, { ...cmd, openDeals: deals.length }, ctx))
    const archived = r.events.find((e) => e.type === 'PipelineStageArchived')
    const to = archived?.data.moved_to as string | null | undefined
    if (to) {
      // The moves are part of this command: they carry no command id of their own.
      const moveCtx: CommandContext = { ...ctx, commandId: undefined }
      for (const d of deals) await changeDealStageCommand(trx, moveCtx, { id: d.id, to })
    }
    return r
  })
}
