import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClickHouse } from '../projections/clickhouse.js'
import { startTestApp, type TestApp } from './testing/app-server.js'

// /healthz with the projector off, so the test decides how far behind it is.
let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

const health = async () => {
  const res = await fetch(`${app.url}/healthz`)
  return { status: res.status, body: await res.json(), cache: res.headers.get('Cache-Control') }
}

describe('GET /healthz', () => {
  it('reports both stores, the projector lag and the queue, without signing in', async () => {
    const { status, body, cache } = await health()
    expect(status).toBe(200)
    expect(cache).toBe('no-store')
    expect(body).toMatchObject({
      status: 'ok',
      postgres: { ok: true, ms: expect.any(Number) },
      clickhouse: { ok: true, ms: expect.any(Number) },
      projector: { lag_events: 0, lag_seconds: 0 },
    })
    expect(body.queue).toHaveProperty('backlog')
  })

  it('answers 503 when ClickHouse fails', async () => {
    const real = app.rt.ch
    // The served runtime is this object: swap in a client whose queries fail.
    app.rt.ch = new Proxy(real, {
      get: (t, p, r) =>
        p === 'query'
          ? async () => {
              throw new Error('ClickHouse injoignable (simulé)')
            }
          : Reflect.get(t, p, r),
    }) as ClickHouse
    try {
      const { status, body } = await health()
      expect(status).toBe(503)
      expect(body).toMatchObject({ status: 'degraded', clickhouse: { ok: false }, postgres: { ok: true } })
    } finally {
      app.rt.ch = real
    }
  })

  it('answers 503 when the projector is more than 5 minutes behind', async () => {
    const ws = (await app.rt.db.selectFrom('workspaces').select('id').executeTakeFirst())?.id ?? randomUUID()
    await app.rt.db
      .insertInto('events')
      .values({
        workspace_id: ws,
        stream_type: 'test',
        stream_id: randomUUID(),
        stream_version: 1,
        type: 'Probe',
        data: {},
        meta: {},
        occurred_at: new Date(Date.now() - 10 * 60 * 1000),
      })
      .execute()
    const { status, body } = await health()
    expect(status).toBe(503)
    expect(body.projector.lag_events).toBeGreaterThanOrEqual(1)
    expect(body.projector.lag_seconds).toBeGreaterThan(300)
  })
})
