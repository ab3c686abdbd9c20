import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'

export type ClickHouse = ClickHouseClient

/**
 * One code path for both modes: chDB in-process (embedded default) or a ClickHouse
 * server over HTTP when `url` is set. Same client, same SQL dialect.
 *
 * @example const ch = await createClickHouse({ path: '.data/ch' }); await ch.query({ query: 'SELECT 1' })
 */
export async function createClickHouse(opts: { url?: string; path?: string }): Promise<ClickHouse> {
  if (opts.url) {
    return createClient({ url: opts.url, clickhouse_settings: { date_time_input_format: 'best_effort' } })
  }
  const dir = path.resolve(opts.path ?? '.data/ch')
  fs.mkdirSync(dir, { recursive: true })
  // chDB binds one data directory per process: loaded lazily so web-only processes
  // against a ClickHouse server never load the 500 MB library.
  const { createChdbConnection } = await import('chdb/connection')
  // Its connection type comes from @clickhouse/client-common, hence the cast.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- chDB's connection type comes from another copy of @clickhouse/client-common than the client's
  return createClient({ connection: createChdbConnection({ path: dir }) as any, clickhouse_settings: { date_time_input_format: 'best_effort' } } as any)
}

/** Runs a SELECT with typed parameters (and optional per-query settings) and returns rows as objects. */
export async function chQuery<T>(ch: ClickHouse, query: string, params: Record<string, unknown> = {}, settings?: ClickHouseSettings): Promise<T[]> {
  const rs = await ch.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: settings })
  return rs.json<T>()
}

/**
 * Inserts rows (objects with the same keys) in one block, as JSONCompactColumns: the
 * rows are turned into one array per column and the whole block into one JSON string,
 * instead of one array and one JSON.stringify per row (the client's JSON*EachRow path).
 * That per-row encoding and the garbage it made were the projector's largest cost
 * (docs/performance.md). Sent through `exec`, which passes the body as it is, on chDB
 * and on a ClickHouse server alike. Throws on failure.
 *
 * @example await chInsert(ch, 'deals_current', [{ workspace_id, deal_id, … }])
 */
export async function chInsert(ch: ClickHouse, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return
  const columns = Object.keys(rows[0])
  const data: unknown[][] = columns.map(() => new Array<unknown>(rows.length))
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    for (let j = 0; j < columns.length; j++) data[j][i] = r[columns[j]]
  }
  // Identifiers come from the projections' own constants, never from input.
  const result = await ch.exec({
    query: `INSERT INTO ${table} (${columns.join(', ')}) FORMAT JSONCompactColumns`,
    values: Readable.from([JSON.stringify(data)]),
  })
  // Nothing to read, but a server's response must be consumed to free its socket.
  result.stream.resume()
  await finished(result.stream)
  insertObserver.onInsert?.(table, rows.length)
}

/** Told of each block chInsert wrote (the bench counts rows per table with it). */
export const insertObserver: { onInsert?: (table: string, rows: number) => void } = {}

/** The table of an `INSERT INTO t …` statement (test doubles and the bench count inserts by table). */
export const insertTable = (query: string): string | null => /^INSERT INTO\s+([A-Za-z_][A-Za-z0-9_.]*)/i.exec(query)?.[1] ?? null
