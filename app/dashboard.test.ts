import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClickHouse } from '../projections/clickhouse.js'
import { startTestApp, textOf, type TestApp } from './testing/app-server.js'
import { givenWorkspace } from '../testing/fixtures.js'

// The projector is off here, so the test decides how far behind the figures are.
let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

describe('the dashboard', () => {
  it('opens, and says when the figures lag behind', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    await app.rt.db
      .insertInto('events')
      .values({
        workspace_id: w.workspaceId,
        stream_type: 'test',
        stream_id: randomUUID(),
        stream_version: 1,
        type: 'Probe',
        data: {},
        meta: {},
        occurred_at: new Date(Date.now() - 60_000),
      })
      .execute()
    const { res, html } = await admin.get('/')
    expect(res.status).toBe(200)
    expect(textOf(html)).toMatch(/Données en cours de mise à jour : retard de \d+ s \(\d+ événements en attente\)\./)
  })

  it('still opens when ClickHouse is down, and says the figures are unavailable', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    const real = app.rt.ch
    app.rt.ch = new Proxy(real, {
      get: (t, p, r) =>
        p === 'query'
          ? async () => {
              throw new Error('ClickHouse injoignable (simulé)')
            }
          : Reflect.get(t, p, r),
    }) as ClickHouse
    try {
      const { res, html } = await admin.get('/')
      expect(res.status).toBe(200)
      expect(textOf(html)).toContain('Ces chiffres sont momentanément indisponibles.')
    } finally {
      app.rt.ch = real
    }
  })
})
