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
  /**
   * Optional shortcut: adds exactly contributions(after) − contributions(before) (signed
   * values), for a rollup whose contributions grow with the entity's history while an
   * event only moves its tail. Without it both sides are summed in full.
   */
  changes?(before: R, after: R, add: (key: string[], values: number[]) => void): void
  /**
   * Optional shortcut: true only when contributions(before) and contributions(after)
   * are the same cells with the same values (the fields they read are equal), so the
   * transition is skipped without summing either side. Most events move nothing a
   * given rollup reads (a stage change between open stages leaves deals_daily as is).
   */
  unchanged?(before: R, after: R): boolean
  /**
   * Cells the projector keeps in memory (default 100,000). A workspace whose cells all
   * fit is read once, whole, the first time a batch touches it; later batches read
   * nothing back. A bigger one is read cell by cell as batches touch them.
   */
  memory?: number
}

/** One entity moved by one event of a batch; `trigger` orders it in the (tx_id, position) stream. */
export type Transition<R> = { workspaceId: string; before: R | null; after: R | null; trigger: bigint }

type Base = { values: number[]; cp: bigint }
type Cell = { key: string[]; deltas: { trigger: bigint; values: number[] }[] }

const SEP = '\u0001'
const LOAD_CHUNK = 1_000

/** (tx_id, position) as one number that sorts the same way: tx_id · 2^64 + position. */
export function checkpointKey(c: Checkpoint): bigint {
  // A batch's events share a few transactions: their tx_id is parsed once.
  if (c.tx_id !== lastTx) {
    lastTx = c.tx_id
    lastTxKey = BigInt(c.tx_id) << 64n
  }
  return lastTxKey | BigInt(c.position)
}
let lastTx = ''
let lastTxKey = 0n

/**
 * What the projector remembers of a rollup table: per workspace, its cells as last
 * written, and whether that is every cell the workspace has (then a cell not here is
 * a cell never written). Whole workspaces are dropped, least recently used first, so
 * "complete" stays true of those kept.
 */
class RollupMemory {
  private readonly workspaces = new Map<string, { complete: boolean; cells: Map<string, Base> }>()
  private size = 0
  constructor(readonly max: number) {}

  get(ws: string) {
    const entry = this.workspaces.get(ws)
    if (entry) {
      // Map order is the eviction order: a touched workspace moves to the end.
      this.workspaces.delete(ws)
      this.workspaces.set(ws, entry)
    }
    return entry
  }

  add(ws: string, complete: boolean, cells: Map<string, Base>) {
    this.workspaces.set(ws, { complete, cells })
    this.size += cells.size
    this.trim(ws)
  }

  set(ws: string, id: string, base: Base) {
    const entry = this.workspaces.get(ws)
    if (!entry) return
    if (!entry.cells.has(id)) this.size++
    entry.cells.set(id, base)
    this.trim(ws)
  }

  private trim(keep: string) {
    for (const [ws, entry] of this.workspaces) {
      if (this.size <= this.max) return
      if (ws === keep) continue
      this.workspaces.delete(ws)
      this.size -= entry.cells.size
    }
    const kept = this.workspaces.get(keep)
    if (kept && this.size > this.max) {
      // One workspace alone is too big: keep what it has, as an incomplete view.
      kept.complete = false
      for (const id of kept.cells.keys()) {
        if (this.size <= this.max) break
        kept.cells.delete(id)
        this.size--
      }
    }
  }
}

/**
 * Applies one batch's transitions to each rollup: computes the deltas per cell, reads
 * the cells' current values and `cp` (from memory, else from ClickHouse, tombstones
 * included), adds the deltas caused after `cp`, and writes the cells with `cp = batchEnd`.
 * Throws on any ClickHouse failure (the checkpoint then holds).
 *
 * @example await applyRollups(io, [dealsDailyRollup], transitions, checkpointKey(lastEvent))
 */
export async function applyRollups<R>(io: ProjectionIO, specs: RollupSpec<R>[], transitions: Transition<R>[], batchEnd: bigint): Promise<void> {
  // Each rollup is its own table with its own memory: their blocks are written together.
  const writes: { table: string; rows: Record<string, unknown>[]; remember: () => void }[] = []
  for (const spec of specs) {
    const byWs = cellDeltas(spec, transitions)
    if (byWs.size === 0) continue
    const max = spec.memory ?? 100_000
    // Without the projector's cache (a one-off apply), memory lasts one batch.
    const memory = io.cache ? io.cache.shared(`rollup:${spec.table}`, () => new RollupMemory(max)) : new RollupMemory(max)
    const rows: Record<string, unknown>[] = []
    const written: [string, string, Base][] = []
    const n = spec.measures.length
    for (const [ws, cells] of byWs) {
      let entry = memory.get(ws)
      if (!entry) {
        const all = await loadWorkspace(io, spec, ws, max)
        memory.add(ws, all !== null, all ?? new Map())
        entry = memory.get(ws)!
      }
      // Bases read now, before this batch changes what memory holds.
      const loaded = new Map<string, Base>()
      if (!entry.complete)
        await loadCells(
          io,
          spec,
          ws,
          [...cells].filter(([id]) => !entry!.cells.has(id)).map(([, c]) => c),
          loaded,
        )
      for (const [id, cell] of cells) {
        const base = entry.cells.get(id) ?? loaded.get(id) ?? { values: new Array<number>(n).fill(0), cp: 0n }
        const values = base.values.slice()
        let applied = false
        for (const d of cell.deltas) {
          if (d.trigger <= base.cp) continue // already in the cell: a replay
          for (let i = 0; i < n; i++) values[i] += d.values[i]
          applied = true
        }
        if (!applied) continue
        const row: Record<string, unknown> = { workspace_id: ws }
        spec.keys.forEach((k, i) => {
          row[k.name] = cell.key[i]
        })
        spec.measures.forEach((m, i) => {
          row[m] = values[i]
        })
        row.cp = batchEnd.toString()
        row.is_deleted = values.every((v) => v === 0) ? 1 : 0
        rows.push(row)
        written.push([ws, id, { values, cp: batchEnd }])
      }
    }
    writes.push({
      table: spec.table,
      rows,
      remember: () => {
        for (const [ws, id, base] of written) memory.set(ws, id, base)
      },
    })
  }
  const results = await Promise.allSettled(writes.map((w) => chInsert(io.ch, w.table, w.rows)))
  // Remembered only once written: a failed insert leaves memory as ClickHouse is
  // (and the projector drops its cache on any failure anyway).
  results.forEach((r, i) => r.status === 'fulfilled' && writes[i].remember())
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
}

/** Net change per cell of each transition, kept apart per transition (each has its own trigger), by workspace. */
function cellDeltas<R>(spec: RollupSpec<R>, transitions: Transition<R>[]): Map<string, Map<string, Cell>> {
  const byWs = new Map<string, Map<string, Cell>>()
  const n = spec.measures.length
  // One collector for every transition (no closure per transition: this runs per event).
  const local = new Map<string, { key: string[]; values: number[] }>()
  let sign = 1
  const collect = (key: string[], values: number[]) => {
    const id = key.join(SEP)
    const entry = local.get(id)
    if (entry) for (let i = 0; i < n; i++) entry.values[i] += sign * values[i]
    else {
      const own = new Array<number>(n)
      for (let i = 0; i < n; i++) own[i] = sign * values[i]
      local.set(id, { key, values: own })
    }
  }
  for (const t of transitions) {
    if (t.before && t.after && spec.unchanged?.(t.before, t.after)) continue
    if (t.before && t.after && spec.changes) {
      sign = 1
      spec.changes(t.before, t.after, collect)
    } else {
      sign = -1
      if (t.before) spec.contributions(t.before, collect)
      sign = 1
      if (t.after) spec.contributions(t.after, collect)
    }
    if (local.size === 0) continue
    let cells = byWs.get(t.workspaceId)
    for (const [id, entry] of local) {
      const values = entry.values
      let zero = true
      for (let i = 0; i < n; i++) if (values[i] !== 0) zero = false
      if (zero) continue
      if (!cells) byWs.set(t.workspaceId, (cells = new Map()))
      let cell = cells.get(id)
      if (!cell) cells.set(id, (cell = { key: entry.key, deltas: [] }))
      cell.deltas.push({ trigger: t.trigger, values })
    }
    local.clear()
  }
  return byWs
}

// The latest written values of cells, tombstones included (FINAL would hide a cell back
// at zero, and with it the `cp` that says a replayed delta is already in). Aliases
// differ from column names: ClickHouse resolves an alias before a column.
function selectCells<R>(spec: RollupSpec<R>, where: string) {
  const keyList = spec.keys.map((k) => k.name).join(', ')
  const keyOut = spec.keys.map((k, i) => `toString(${k.name}) AS k${i}`).join(', ')
  const measuresOut = spec.measures.map((m, i) => `toString(argMax(${m}, cp)) AS m${i}`).join(', ')
  // Identifiers come from the rollup specs, never from input; values are typed parameters.
  return `SELECT ${keyOut}, ${measuresOut}, toString(max(cp)) AS last_cp FROM ${spec.table} WHERE workspace_id = {ws:UUID}${where} GROUP BY ${keyList}`
}

function readRows<R>(spec: RollupSpec<R>, rows: Record<string, string>[], into: Map<string, Base>) {
  for (const r of rows) {
    into.set(spec.keys.map((_, j) => r[`k${j}`]).join(SEP), { values: spec.measures.map((_, j) => Number(r[`m${j}`])), cp: BigInt(r.last_cp) })
  }
}

/** Every cell of the workspace if there are at most `max` (rows, tombstones and superseded ones included); else null. */
async function loadWorkspace<R>(io: ProjectionIO, spec: RollupSpec<R>, ws: string, max: number): Promise<Map<string, Base> | null> {
  const [{ n }] = await chQuery<{ n: string }>(io.ch, `SELECT toString(count()) AS n FROM ${spec.table} WHERE workspace_id = {ws:UUID}`, { ws })
  if (Number(n) > max) return null
  const cells = new Map<string, Base>()
  if (Number(n) > 0) readRows(spec, await chQuery<Record<string, string>>(io.ch, selectCells(spec, ''), { ws }), cells)
  return cells
}

async function loadCells<R>(io: ProjectionIO, spec: RollupSpec<R>, ws: string, missing: Cell[], into: Map<string, Base>) {
  const query = selectCells(spec, ` AND (${spec.keys.map((k) => k.name).join(', ')}) IN {cells:Array(Tuple(${spec.keys.map((k) => k.type).join(', ')}))}`)
  for (let i = 0; i < missing.length; i += LOAD_CHUNK) {
    const chunk = missing.slice(i, i + LOAD_CHUNK)
    readRows(spec, await chQuery<Record<string, string>>(io.ch, query, { ws, cells: chunk.map((c) => new TupleParam(c.key)) }), into)
  }
}
