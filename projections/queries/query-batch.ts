import type { ClickHouseSettings } from '@clickhouse/client'
import { chQuery, type ClickHouse } from '../clickhouse.js'

// A dashboard asks for its seven widgets at once. chDB runs one query at a time and
// each query costs about 1.5 ms of CPU before it reads a row (docs/performance.md):
// the queries asked in the same turn of the event loop go to ClickHouse as ONE query,
// a UNION ALL whose branches each return their rows as JSON text, numbered to keep
// their order. The callers see the same rows as from chQuery.

type Pending = { query: string; params: Record<string, unknown>; resolve: (rows: unknown[]) => void; reject: (e: unknown) => void }

const queues = new WeakMap<ClickHouse, Pending[]>()

/**
 * chQuery, but run together with the other batchedQuery calls made before the event
 * loop turns. Parameters are renamed per branch (`{ws:UUID}` → `{q3_ws:UUID}`), so
 * queries may use the same names with different values. If the combined query fails,
 * each runs on its own, so one broken query fails alone.
 *
 * @example const [a, b] = await Promise.all([batchedQuery(ch, q1, p1, s), batchedQuery(ch, q2, p2, s)])
 */
export function batchedQuery<T>(ch: ClickHouse, query: string, params: Record<string, unknown>, settings: ClickHouseSettings): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    let queue = queues.get(ch)
    if (!queue) {
      queues.set(ch, (queue = []))
      setImmediate(() => void flush(ch, settings))
    }
    queue.push({ query, params, resolve: resolve as (rows: unknown[]) => void, reject })
  })
}

async function flush(ch: ClickHouse, settings: ClickHouseSettings) {
  const list = queues.get(ch) ?? []
  queues.delete(ch)
  if (list.length === 1) {
    const [p] = list
    return chQuery(ch, p.query, p.params, settings).then(p.resolve, p.reject)
  }
  const params: Record<string, unknown> = {}
  const branches = list.map((p, i) => {
    for (const [k, v] of Object.entries(p.params)) params[`q${i}_${k}`] = v
    const sql = p.query.replace(/\{([A-Za-z_][A-Za-z0-9_]*):/g, `{q${i}_$1:`)
    return `SELECT toUInt16(${i}) AS _q, rowNumberInAllBlocks() AS _n, formatRowNoNewline('JSONEachRow', *) AS _r FROM (${sql})`
  })
  let rows: { _q: number; _n: number | string; _r: string }[]
  try {
    rows = await chQuery(ch, branches.join('\nUNION ALL\n'), params, settings)
  } catch {
    for (const p of list) chQuery(ch, p.query, p.params, settings).then(p.resolve, p.reject)
    return
  }
  const out = list.map(() => [] as { n: number; row: unknown }[])
  for (const r of rows) out[Number(r._q)].push({ n: Number(r._n), row: JSON.parse(r._r) })
  list.forEach((p, i) => p.resolve(out[i].sort((a, b) => a.n - b.n).map((x) => x.row)))
}
