import { TupleParam } from '@clickhouse/client'
import { chInsert, chQuery } from './clickhouse.js'
import type { ProjectionIO } from './projection.js'
import type { Checkpoint } from './projected-event.js'

// Rollups: small aggregate tables (one row per cell: a day, an owner, a category, …)
// kept exact under at-least-once delivery. See docs/decisions/0006-analytics-rollups.md.
//
// A cell is the sum, over the current state of every entity, of that entity's
// contribution to it. When a fold moves an entity from `before` to `after`, the cells
// change by contribution(after) − contribution(before). Such deltas are not idempotent
// on their own: a replayed batch would add them twice. So every cell row carries `cp`,
// the (tx_id, position) checkpoint of the batch that last wrote it, and a delta is
// applied only if the event that caused it lies after the cell's `cp`. The table is a
// ReplacingMergeTree(cp, is_deleted): the latest write of a cell wins, a stale writer
// (an ex-leader finishing a batch) loses, and a cell back to zero is a tombstone that
// FINAL hides.

/** A column of a rollup's key, with its ClickHouse type (for the typed tuple lookup). */
export type RollupKey = { name: string; type: string }

export type RollupSpec<R> = {
  table: string
  /** The key columns after workspace_id, in ORDER BY order. Values travel as strings. */
  keys: RollupKey[]
  /** Int64 columns summed per cell. */
  measures: string[]
  /** Calls `add` once per cell the entity counts in; `values` in `measures` order. */
  contributions(row: R, add: (key: string[], values: number[]) => void): void
  /** Cells kept in the projector's memory between batches (default 50,000). */
  cacheSize?: number
}

/** One entity moved by one event of a batch; `trigger` orders it in the (tx_id, position) stream. */
export type Transition<R> = { workspaceId: string; before: R | null; after: R | null; trigger: bigint }

type Cell = { ws: string; key: string[]; deltas: { trigger: bigint; values: number[] }[] }
type Base = { values: number[]; cp: bigint }

const SEP = '\u0001'
const LOAD_CHUNK = 1_000

/** (tx_id, position) as one number that sorts the same way: tx_id · 2^64 + position. */
export const checkpointKey = (c: Checkpoint): bigint => (BigInt(c.tx_id) << 64n) | BigInt(c.position)

/**
 * Applies one batch's transitions to each rollup: computes the deltas per cell, reads
 * the cells' current values and `cp` (from the cache, else from ClickHouse, tombstones
 * included), adds the deltas caused after `cp`, and writes the cells with `cp = batchEnd`.
 * Throws on any ClickHouse failure (the checkpoint then holds).
 *
 * @example await applyRollups(io, [dealsDailyRollup], transitions, checkpointKey(lastEvent))
 */
export async function applyRollups<R>(io: ProjectionIO, specs: RollupSpec<R>[], transitions: Transition<R>[], batchEnd: bigint): Promise<void> {
  for (const spec of specs) {
    const cells = cellDeltas(spec, transitions)
    if (cells.size === 0) continue
    const cache = io.cache?.for<Base>(`rollup:${spec.table}`, spec.cacheSize ?? 50_000)
    const bases = new Map<string, Base>()
    const missing: Cell[] = []
    for (const [id, cell] of cells) {
      const cached = cache?.get(id)
      if (cached) bases.set(id, cached)
      else missing.push(cell)
    }
    await loadBases(io, spec, missing, bases)

    const rows: Record<string, unknown>[] = []
    const written: [string, Base][] = []
    const n = spec.measures.length
    for (const [id, cell] of cells) {
      const base = bases.get(id) ?? { values: new Array<number>(n).fill(0), cp: 0n }
      const values = base.values.slice()
      let applied = false
      for (const d of cell.deltas) {
        if (d.trigger <= base.cp) continue // already in the cell: a replay
        for (let i = 0; i < n; i++) values[i] += d.values[i]
        applied = true
      }
      if (!applied) continue
      const row: Record<string, unknown> = { workspace_id: cell.ws }
      spec.keys.forEach((k, i) => { row[k.name] = cell.key[i] })
      spec.measures.forEach((m, i) => { row[m] = values[i] })
      row.cp = batchEnd.toString()
      row.is_deleted = values.every((v) => v === 0) ? 1 : 0
      rows.push(row)
      written.push([id, { values, cp: batchEnd }])
    }
    await chInsert(io.ch, spec.table, rows)
    if (cache) for (const [id, base] of written) cache.set(id, base)
  }
}

/** Net change per cell of each transition, kept apart per transition (each has its own trigger). */
function cellDeltas<R>(spec: RollupSpec<R>, transitions: Transition<R>[]): Map<string, Cell> {
  const cells = new Map<string, Cell>()
  const n = spec.measures.length
  for (const t of transitions) {
    const local = new Map<string, { key: string[]; values: number[] }>()
    const collect = (sign: number) => (key: string[], values: number[]) => {
      const id = t.workspaceId + SEP + key.join(SEP)
      let entry = local.get(id)
      if (!entry) local.set(id, (entry = { key, values: new Array<number>(n).fill(0) }))
      for (let i = 0; i < n; i++) entry.values[i] += sign * values[i]
    }
    if (t.before) spec.contributions(t.before, collect(-1))
    if (t.after) spec.contributions(t.after, collect(1))
    for (const [id, { key, values }] of local) {
      if (values.every((v) => v === 0)) continue
      let cell = cells.get(id)
      if (!cell) cells.set(id, (cell = { ws: t.workspaceId, key, deltas: [] }))
      cell.deltas.push({ trigger: t.trigger, values })
    }
  }
  return cells
}

/**
 * The latest written values of the cells, tombstones included (FINAL would hide a cell
 * back at zero, and with it the `cp` that says a replayed delta is already in).
 */
async function loadBases<R>(io: ProjectionIO, spec: RollupSpec<R>, missing: Cell[], bases: Map<string, Base>) {
  if (missing.length === 0) return
  const byWs = new Map<string, Cell[]>()
  for (const c of missing) {
    const list = byWs.get(c.ws)
    if (list) list.push(c)
    else byWs.set(c.ws, [c])
  }
  const keyList = spec.keys.map((k) => k.name).join(', ')
  const tupleType = `Tuple(${spec.keys.map((k) => k.type).join(', ')})`
  // Aliases differ from column names: ClickHouse resolves an alias before a column.
  const keyOut = spec.keys.map((k, i) => `toString(${k.name}) AS k${i}`).join(', ')
  const measuresOut = spec.measures.map((m, i) => `toString(argMax(${m}, cp)) AS m${i}`).join(', ')
  // Identifiers come from the rollup specs, never from input; values are typed parameters.
  const query = `
    SELECT ${keyOut}, ${measuresOut}, toString(max(cp)) AS last_cp
    FROM ${spec.table}
    WHERE workspace_id = {ws:UUID} AND (${keyList}) IN {cells:Array(${tupleType})}
    GROUP BY ${keyList}`
  for (const [ws, list] of byWs) {
    for (let i = 0; i < list.length; i += LOAD_CHUNK) {
      const chunk = list.slice(i, i + LOAD_CHUNK)
      const rows = await chQuery<Record<string, string>>(io.ch, query, { ws, cells: chunk.map((c) => new TupleParam(c.key)) })
      for (const r of rows) {
        const id = ws + SEP + spec.keys.map((_, j) => r[`k${j}`]).join(SEP)
        bases.set(id, { values: spec.measures.map((_, j) => Number(r[`m${j}`])), cp: BigInt(r.last_cp) })
      }
    }
  }
}
