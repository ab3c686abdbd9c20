import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { batchedQuery } from './query-batch.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const q = <T>(query: string, params: Record<string, unknown> = {}) => batchedQuery<T>(rt.ch, query, params, { max_threads: 1 })

describe('batched ClickHouse queries', () => {
  it('give each caller its own rows, in order, with its own parameter values', async () => {
    const [a, b, c] = await Promise.all([
      q<{ n: string }>('SELECT toString(number * {k:UInt8}) AS n FROM numbers(5) ORDER BY number DESC', { k: 2 }),
      q<{ n: string }>('SELECT toString(number * {k:UInt8}) AS n FROM numbers(3) ORDER BY number', { k: 10 }),
      q<{ s: string; d: string }>('SELECT {s:String} AS s, toString({d:Date}) AS d WHERE 0', { s: "l'été", d: '2026-11-27' }),
    ])
    expect(a.map((r) => r.n)).toEqual(['8', '6', '4', '2', '0'])
    expect(b.map((r) => r.n)).toEqual(['0', '10', '20'])
    expect(c).toEqual([])
  })

  it('let a broken query fail alone', async () => {
    const [ok, broken] = await Promise.allSettled([q<{ x: number }>('SELECT 1 AS x'), q('SELECT no_such_column FROM numbers(1)')])
    expect(ok).toEqual({ status: 'fulfilled', value: [{ x: 1 }] })
    expect(broken.status).toBe('rejected')
  })
})
