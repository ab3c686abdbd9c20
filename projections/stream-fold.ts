import { sql } from 'kysely'
import { chInsert, chQuery } from './clickhouse.js'
import type { Projection, ProjectionIO } from './projection.js'
import type { ProjectedEvent } from './projected-event.js'
import { applyRollups, checkpointKey, type RollupSpec, type Transition } from './rollup.js'

type StateRow = { workspace_id: string; version: number }

const LOAD_CHUNK = 2_000
type Row = Record<string, unknown>

export type StreamFoldSpec<R extends StateRow> = {
  name: string
  streamType: string
  /** The current-state table: ReplacingMergeTree(version) keyed by (workspace_id, idColumn). */
  stateTable: string
  idColumn: keyof R & string
  fold(row: R | null, e: ProjectedEvent): R | null
  fromClickHouse(raw: Row): R
  /** Fact tables fed from the same fold, each row derived from (before, after, event). */
  facts?: { table: string; rows(before: R | null, after: R | null, e: ProjectedEvent): Row[] }[]
  /** Aggregate tables kept exact from the same fold (see rollup.ts). */
  rollups?: RollupSpec<R>[]
}

/**
 * A projection whose rows are a fold of each stream. Per batch: load the touched
 * streams' current rows (from the projector's cache, else FINAL), skip events at or below a row's version (already
 * applied: this is what makes a replay harmless), fetch from Postgres any version
 * missing between the row and the batch (a stream's later version can sort first in
 * (tx_id, position) order when its transaction took its xid earlier), fold in stream
 * version order, then write facts first, rollups next and current state last, so a
 * crash in between replays into the same facts and into rollups that know which
 * deltas they already hold.
 *
 * @example export const dealsProjection = streamFoldProjection({ name: 'deals', streamType: 'deal', stateTable: 'deals_current', … })
 */
export function streamFoldProjection<R extends StateRow>(spec: StreamFoldSpec<R>): Projection {
  const facts = spec.facts ?? []
  const rollups = spec.rollups ?? []
  return {
    name: spec.name,
    streamTypes: [spec.streamType],
    tables: [...facts.map((f) => f.table), ...rollups.map((r) => r.table), spec.stateTable],
    async apply(io, events) {
      const byStream = new Map<string, ProjectedEvent[]>()
      for (const e of events) {
        if (e.stream_type !== spec.streamType) continue
        const list = byStream.get(e.stream_id)
        if (list) list.push(e)
        else byStream.set(e.stream_id, [e])
      }
      if (byStream.size === 0) return

      const states = await loadStates(io, spec, byStream)
      const missing = findMissingVersions(byStream, states)
      if (missing.length) await fillGaps(io, spec.streamType, byStream, missing)

      const stateRows: R[] = []
      const factRows = facts.map(() => [] as Row[])
      const transitions: Transition<R>[] = []
      // Events read to fill a gap are not in the batch: a rollup delta they cause is
      // ordered by the batch event of the same stream that made the fold read them.
      const inBatch = rollups.length ? new Set(events.map((e) => e.position)) : null
      for (const [streamId, list] of byStream) {
        let row = states.get(streamId) ?? null
        const from = row?.version ?? 0
        // Most streams bring one event per batch: no filtered copy, no sort (this runs per event).
        const todo =
          list.length === 1
            ? list[0].stream_version > from
              ? list
              : []
            : list.filter((e) => e.stream_version > from).sort((a, b) => a.stream_version - b.stream_version)
        if (todo.length === 0) continue
        let triggers: bigint[] | null = null
        if (inBatch) {
          triggers = new Array<bigint>(todo.length)
          let next = 0n
          for (let i = todo.length - 1; i >= 0; i--) {
            if (inBatch.has(todo[i].position)) next = checkpointKey(todo[i])
            triggers[i] = next
          }
        }
        for (let i = 0; i < todo.length; i++) {
          const e = todo[i]
          const before = row
          row = spec.fold(before, e)
          for (let f = 0; f < facts.length; f++) {
            const rows = facts[f].rows(before, row, e)
            for (let k = 0; k < rows.length; k++) factRows[f].push(rows[k])
          }
          if (triggers && (before || row)) transitions.push({ workspaceId: e.workspace_id, before, after: row, trigger: triggers[i] })
        }
        if (row) stateRows.push(row)
      }
      // The fact tables are independent of each other: written together, then the rest in order.
      const written = await Promise.allSettled(facts.map((f, i) => chInsert(io.ch, f.table, factRows[i])))
      const failed = written.find((w) => w.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      if (rollups.length && transitions.length) {
        await applyRollups(io, rollups, transitions, checkpointKey(events[events.length - 1]))
      }
      if (stateRows.length) {
        await chInsert(io.ch, spec.stateTable, stateRows)
        const cache = io.cache?.for<R>(spec.name)
        if (cache) for (const row of stateRows) cache.set(String(row[spec.idColumn]), row)
      }
    },
  }
}

async function loadStates<R extends StateRow>(io: ProjectionIO, spec: StreamFoldSpec<R>, byStream: Map<string, ProjectedEvent[]>) {
  const cache = io.cache?.for<R>(spec.name)
  const states = new Map<string, R>()
  const ids: string[] = []
  const workspaces = new Set<string>()
  for (const [id, list] of byStream) {
    // Versions 1..n all here: the fold starts from nothing, no row to load.
    if (list.length === maxVersion(list)) continue
    const cached = cache?.get(id)
    if (cached) {
      states.set(id, cached)
      continue
    }
    ids.push(id)
    workspaces.add(list[0].workspace_id)
  }
  if (ids.length === 0) return states
  const raw: Row[] = []
  // Parameters travel in the URL with a ClickHouse server: chunks keep it short.
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    // Identifiers come from the projection's own constants, never from input.
    raw.push(
      ...(await chQuery<Row>(
        io.ch,
        `SELECT * FROM ${spec.stateTable} FINAL WHERE workspace_id IN {wss:Array(UUID)} AND ${spec.idColumn} IN {ids:Array(UUID)}`,
        { wss: [...workspaces], ids: ids.slice(i, i + LOAD_CHUNK) },
      )),
    )
  }
  for (const r of raw) {
    const row = spec.fromClickHouse(r)
    const id = String(row[spec.idColumn])
    // A stream id belongs to one workspace: both must match.
    if (byStream.get(id)?.[0].workspace_id === row.workspace_id) states.set(id, row)
  }
  return states
}

function findMissingVersions<R extends StateRow>(byStream: Map<string, ProjectedEvent[]>, states: Map<string, R>) {
  const missing: { id: string; version: number }[] = []
  for (const [id, list] of byStream) {
    const from = states.get(id)?.version ?? 0
    const max = maxVersion(list)
    // Most streams bring one event, the next version: nothing can be missing.
    if (max <= from + 1) continue
    const have = new Set(list.map((e) => e.stream_version))
    for (let v = from + 1; v < max; v++) if (!have.has(v)) missing.push({ id, version: v })
  }
  return missing
}

function maxVersion(list: ProjectedEvent[]): number {
  let max = 0
  for (const e of list) if (e.stream_version > max) max = e.stream_version
  return max
}

/** Reads the missing versions from `events`: they are committed, since a later version of the same stream is. */
async function fillGaps(io: ProjectionIO, streamType: string, byStream: Map<string, ProjectedEvent[]>, missing: { id: string; version: number }[]) {
  const found = await sql<ProjectedEvent>`
    select e.position, e.tx_id::text as tx_id, e.workspace_id, e.stream_type, e.stream_id, e.stream_version, e.type, e.data, e.occurred_at,
      e.meta
    from events e
    join unnest(${missing.map((m) => m.id)}::uuid[], ${missing.map((m) => m.version)}::int[]) as m(id, version)
      on e.stream_id = m.id and e.stream_version = m.version
    where e.stream_type = ${streamType}`.execute(io.db)
  if (found.rows.length !== missing.length) {
    throw new Error(`${missing.length - found.rows.length} événement(s) introuvable(s) pour combler un flux ${streamType}`)
  }
  for (const e of found.rows) byStream.get(e.stream_id)!.push(e)
}
