import { afterAll, describe, expect, it } from 'vitest'
import { WebClient } from '../app/testing/app-server.js'
import { freePort } from '../db/embedded-postgres.js'
import { DEMO_PASSWORD } from '../seed/demo-logins.js'
import { cleanUp, livePostmaster, startChild, tempDataDir } from './testing/child-process.js'

// Stop when asked: the real server entry (the built app: `npm run build` first) on a
// small demo, an event stream open, then SIGTERM — it ends its streams, consumers,
// pg-boss and Postgres and exits; no postmaster is left and the next start is clean
// (then SIGINT, the same way). No timing assertion: the deadline is generous.

const dataDir = tempDataDir()
afterAll(() => cleanUp([dataDir]))

async function startServer() {
  const port = await freePort()
  const child = startChild('server.ts', {
    ALFORIS_DATA_DIR: dataDir,
    PORT: String(port),
    SESSION_SECRET: 'test-secret-for-the-shutdown-test-0123456789',
    ALFORIS_SEED_DEALS: '20',
    ALFORIS_SEED_ORGANISATIONS: '5',
  })
  await child.waitFor(/prêt sur/, 120_000)
  return { child, url: `http://127.0.0.1:${port}` }
}

describe('the server asked to stop', () => {
  it('ends an open event stream, stops everything and exits on SIGTERM; the next start is clean and stops on SIGINT', async () => {
    const first = await startServer()
    const client = new WebClient(first.url)
    await client.get('/login')
    expect((await client.post('/login', { email: 'admin@alforis.demo', password: DEMO_PASSWORD })).res.status).toBe(302)
    const res = await client.request('/notifications/stream', { headers: { Accept: 'text/event-stream' } })
    expect(res.headers.get('content-type')).toMatch(/event-stream/)
    const reader = res.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('retry:')

    first.child.proc.kill('SIGTERM')
    // The stream ends (or its socket is cut) instead of holding the stop.
    const drained = (async () => {
      for (;;) if ((await reader.read()).done) return 'ended'
    })().catch(() => 'cut')
    expect(['ended', 'cut']).toContain(await drained)
    const end = await first.child.exited
    expect(end.code, first.child.output()).toBe(0)
    expect(first.child.output()).toMatch(/SIGTERM reçu, arrêt…[\s\S]*arrêté/)
    expect(first.child.output()).not.toMatch(/arrêt forcé/)
    expect(livePostmaster(dataDir)).toBeNull()

    const second = await startServer()
    expect(second.child.output()).not.toMatch(/tourne encore|reprise/)
    second.child.proc.kill('SIGINT')
    expect((await second.child.exited).code, second.child.output()).toBe(0)
    expect(second.child.output()).toMatch(/SIGINT reçu, arrêt…[\s\S]*arrêté/)
    expect(livePostmaster(dataDir)).toBeNull()
  }, 240_000)
})
