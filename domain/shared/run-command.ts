import type { CommandContext, DomainEvent, EventMeta } from './events.js'
import { ConcurrencyError } from './errors.js'
import type { Db } from '../../db/kysely.js'
import type { Database } from '../../db/schema.js'

export type Versioned = { id: string; version: number }

/** How one aggregate is read and written. `load` must lock the row (`for update`). */
export type Repository<S extends Versioned> = {
  streamType: string
  load(trx: Db, workspaceId: string, id: string): Promise<S | null>
  insert(trx: Db, state: S): Promise<void>
  /** Updates the row only if its version is still `expectedVersion`; returns rows touched. */
  update(trx: Db, state: S, expectedVersion: number): Promise<number>
}

export type CommandSpec<S extends Versioned, E extends DomainEvent> = {
  type: string
  repository: Repository<S>
  streamId: string
  /** The version the user saw; a mismatch is a ConcurrencyError, never an overwrite. */
  expectedVersion?: number
  decide: (state: S | null) => E[]
  evolve: (state: S | null, event: E) => S
}

export type CommandResult<S> = { state: S | null; events: DomainEvent[]; duplicate: boolean }

/**
 * load → decide → save + events, in one transaction. Idempotent on `ctx.commandId`:
 * a replayed id returns `duplicate: true` and changes nothing.
 *
 * @example
 * await runCommand(db, ctx, { type: 'ChangeDealStage', repository: dealRepository,
 *   streamId: id, expectedVersion: 3, decide: (s) => changeStage(s, cmd, ctx), evolve })
 */
export async function runCommand<S extends Versioned, E extends DomainEvent>(db: Db, ctx: CommandContext, spec: CommandSpec<S, E>): Promise<CommandResult<S>> {
  // Inside a caller's transaction (an all-or-nothing import) the command joins it.
  const inTransaction = <T>(fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))
  return inTransaction(async (trx) => {
    if (ctx.commandId) {
      const claimed = await trx
        .insertInto('processed_commands')
        .values({ workspace_id: ctx.workspaceId, command_id: ctx.commandId, command_type: spec.type, result: { streamId: spec.streamId } })
        .onConflict((oc) => oc.doNothing())
        .returning('command_id')
        .executeTakeFirst()
      if (!claimed) {
        const state = await spec.repository.load(trx, ctx.workspaceId, spec.streamId)
        return { state, events: [], duplicate: true }
      }
    }
    const before = await spec.repository.load(trx, ctx.workspaceId, spec.streamId)
    if (spec.expectedVersion !== undefined && (before?.version ?? 0) !== spec.expectedVersion) {
      throw new ConcurrencyError()
    }
    const events = spec.decide(before)
    if (events.length === 0) return { state: before, events, duplicate: false }
    let state: S | null = before
    for (const e of events) state = spec.evolve(state, e)
    const after = state as S
    const fromVersion = before?.version ?? 0
    after.version = fromVersion + events.length
    if (before) {
      const touched = await spec.repository.update(trx, after, fromVersion)
      if (touched !== 1) throw new ConcurrencyError()
    } else {
      await spec.repository.insert(trx, after)
    }
    await appendEvents(trx, ctx, spec.repository.streamType, spec.streamId, fromVersion, events)
    return { state: after, events, duplicate: false }
  })
}

/** Appends events to one stream, versions following `fromVersion`. Used by commands and bulk loaders. */
export async function appendEvents(
  trx: Db,
  ctx: Pick<CommandContext, 'workspaceId' | 'actorId' | 'now' | 'commandId' | 'requestId' | 'source' | 'causationId' | 'correlationId' | 'workflowDepth'>,
  streamType: string,
  streamId: string,
  fromVersion: number,
  events: DomainEvent[],
): Promise<void> {
  const meta: EventMeta = { actorId: ctx.actorId, requestId: ctx.requestId, commandId: ctx.commandId, source: ctx.source ?? 'web' }
  // Only workflow steps set these; other events keep their meta as before.
  if (ctx.causationId) meta.causationId = ctx.causationId
  if (ctx.correlationId) meta.correlationId = ctx.correlationId
  if (ctx.workflowDepth !== undefined) meta.workflowDepth = ctx.workflowDepth
  await trx
    .insertInto('events')
    .values(
      events.map((e, i) => ({
        workspace_id: ctx.workspaceId,
        stream_type: streamType,
        stream_id: streamId,
        stream_version: fromVersion + i + 1,
        type: e.type,
        data: e.data,
        meta: meta as Record<string, unknown>,
        occurred_at: ctx.now,
      })),
    )
    .execute()
}

/** Reads a stream's history, oldest first (record pages show it as "who changed what"). */
export async function readStream(db: Db, workspaceId: string, streamId: string) {
  return db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).where('stream_id', '=', streamId).orderBy('stream_version').execute()
}

type VersionedTable = { [K in keyof Database]: Database[K] extends { id: string; workspace_id: string; version: unknown } ? K : never }[keyof Database]

/**
 * The repository of an aggregate stored as one row of `table`: load locks the row of
 * the workspace, update is guarded by the version the command started from.
 *
 * @example export const dealRepository = tableRepository<Deal>('deals', 'deal')
 */
export function tableRepository<S extends Versioned & { workspace_id: string }>(table: VersionedTable, streamType: string): Repository<S> {
  // kysely cannot check a table chosen at run time; the row type S is the caller's promise.
  const t = table as 'deals'
  return {
    streamType,
    load: (trx, ws, id) =>
      trx
        .selectFrom(t)
        .selectAll()
        .where('workspace_id', '=', ws)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst()
        .then((r) => (r ?? null) as S | null),
    insert: async (trx, s) => {
      await trx
        .insertInto(t)
        .values(s as never)
        .execute()
    },
    update: async (trx, s, expected) => {
      const { id, workspace_id, ...rest } = s
      const r = await trx
        .updateTable(t)
        .set(rest as never)
        .where('id', '=', id)
        .where('workspace_id', '=', workspace_id)
        .where('version', '=', expected)
        .executeTakeFirst()
      return Number(r.numUpdatedRows)
    },
  }
}
