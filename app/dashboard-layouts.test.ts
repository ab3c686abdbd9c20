import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenWorkspace } from '../testing/fixtures.js'

// Per-user dashboard layouts over real HTTP: the no-JS customise form, the scripts' JSON
// answers, and that a layout never leaks to another user or another workspace.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

const widgetsOf = (html: string) => [...html.matchAll(/data-widget="([a-z-]+)" data-size="([a-z]+)"/g)].map((m) => `${m[1]}:${m[2]}`)
const kinds = (html: string) => widgetsOf(html).map((w) => w.split(':')[0])
const versionOf = (html: string) => Number(/name="version" value="(\d+)"/.exec(html)?.[1])

/** Posts one editor button the way a browser without JavaScript does. */
async function press(client: WebClient, action: string, widgetId?: string) {
  const { html } = await client.get('/?personnaliser=1')
  const { res } = await client.post('/dashboard/layout', {
    action,
    ...(widgetId ? { widgetId } : {}),
    version: String(versionOf(html)),
    commandId: randomUUID(),
    returnTo: '/?personnaliser=1',
  })
  expect(res.status).toBe(302)
  expect(res.headers.get('location')).toBe('/?personnaliser=1')
  return (await client.get('/?personnaliser=1')).html
}

describe('dashboard layouts', () => {
  it('starts each role from its template', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    const manager = await app.login(w.emails.manager)
    expect(kinds((await rep.get('/')).html)).toEqual(['kpis', 'goals', 'pipeline-by-stage', 'funnel', 'recent-activity', 'revenue-trend'])
    expect(kinds((await manager.get('/')).html)).toEqual(['kpis', 'revenue-trend', 'goals', 'funnel', 'top-performers', 'pipeline-by-stage', 'recent-activity'])
  })

  it('adds, removes, moves and resizes through the no-JS customise form, then resets to the role', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    let html = await press(rep, 'add:top-performers')
    expect(kinds(html).at(-1)).toBe('top-performers')
    html = await press(rep, 'add:recurring-revenue')
    expect(kinds(html).at(-1)).toBe('recurring-revenue')
    expect(textOf(html)).toContain('Tous les widgets sont déjà sur votre tableau de bord.')
    html = await press(rep, 'remove', 'funnel')
    expect(kinds(html)).not.toContain('funnel')
    html = await press(rep, 'up', 'pipeline-by-stage')
    expect(kinds(html).slice(0, 3)).toEqual(['kpis', 'pipeline-by-stage', 'goals'])
    html = await press(rep, 'down', 'kpis')
    expect(kinds(html).slice(0, 2)).toEqual(['pipeline-by-stage', 'kpis'])
    html = await press(rep, 'size:full', 'goals')
    expect(widgetsOf(html)).toContain('goals:full')
    expect(
      await app.rt.db.selectFrom('events').select('type').where('workspace_id', '=', w.workspaceId).where('stream_type', '=', 'dashboard').execute(),
    ).toEqual(Array(6).fill({ type: 'DashboardLayoutChanged' }))

    html = await press(rep, 'reset')
    expect(kinds(html)).toEqual(['kpis', 'goals', 'pipeline-by-stage', 'funnel', 'recent-activity', 'revenue-trend'])
    const last = await app.rt.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('workspace_id', '=', w.workspaceId)
      .where('stream_type', '=', 'dashboard')
      .orderBy('position', 'desc')
      .executeTakeFirstOrThrow()
    expect(last).toMatchObject({ type: 'DashboardLayoutReset', data: { user_id: w.users.commercial, role: 'commercial' } })
  })

  it("never shows one user's changes to another user, nor to another workspace", async () => {
    const w = await givenWorkspace(app.rt.db)
    const other = await givenWorkspace(app.rt.db, 'Autre Atelier')
    const manager = await app.login(w.emails.manager)
    const admin = await app.login(w.emails.admin)
    const otherManager = await app.login(other.emails.manager)
    const before = { admin: kinds((await admin.get('/')).html), otherManager: kinds((await otherManager.get('/')).html) }
    await press(manager, 'remove', 'kpis')
    await press(manager, 'remove', 'funnel')
    expect(kinds((await manager.get('/')).html)).not.toContain('kpis')
    expect(kinds((await admin.get('/')).html)).toEqual(before.admin)
    expect(kinds((await otherManager.get('/')).html)).toEqual(before.otherManager)
    // The form carries no user: whatever is posted, it changes the poster's own layout.
    const { html } = await admin.get('/?personnaliser=1')
    await admin.post('/dashboard/layout', {
      action: 'add:recent-activity',
      version: String(versionOf(html)),
      user_id: w.users.manager,
      userId: w.users.manager,
      commandId: randomUUID(),
    })
    expect(kinds((await manager.get('/')).html)).toEqual(['revenue-trend', 'goals', 'top-performers', 'pipeline-by-stage', 'recent-activity'])
    expect(kinds((await admin.get('/')).html)).toContain('recent-activity')
  })

  it('answers scripts in JSON with the new version, refuses a stale version, replays a command id once', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    await rep.get('/')
    const commandId = randomUUID()
    const order = ['goals', 'kpis', 'pipeline-by-stage', 'funnel', 'recent-activity', 'revenue-trend'].join(',')
    const first = await rep.post('/dashboard/layout', { js: '1', action: 'reorder', order, version: '0', commandId })
    expect(first.res.status).toBe(200)
    expect(JSON.parse(first.html)).toMatchObject({ ok: true, version: 1, widgets: expect.arrayContaining([expect.objectContaining({ kind: 'goals' })]) })
    const replay = await rep.post('/dashboard/layout', { js: '1', action: 'reorder', order, version: '0', commandId })
    expect(replay.res.status).toBe(200)
    expect(JSON.parse(replay.html)).toMatchObject({ ok: true, version: 1 })
    const stale = await rep.post('/dashboard/layout', { js: '1', action: 'remove', widgetId: 'kpis', version: '0', commandId: randomUUID() })
    // (The 409 status reaches the editor's fetcher; a direct request to a resource route gets the body.)
    expect(JSON.parse(stale.html)).toEqual({ ok: false, message: expect.stringContaining('Votre tableau de bord a été modifié entre-temps') })
    expect(kinds((await rep.get('/')).html)).toEqual(order.split(','))
    // Without a script the same refusal brings the editor back with an explanation.
    const noJs = await rep.post('/dashboard/layout', {
      action: 'remove',
      widgetId: 'kpis',
      version: '0',
      commandId: randomUUID(),
      returnTo: '/?personnaliser=1',
    })
    expect(noJs.res.headers.get('location')).toBe('/?personnaliser=1&erreur=conflit')
    expect(textOf((await rep.get('/?personnaliser=1&erreur=conflit')).html)).toContain('Votre tableau de bord a été modifié entre-temps')
  })

  it('refuses a post without the CSRF token, and a foreign redirect target', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    const { res } = await rep.post('/dashboard/layout', { action: 'remove', widgetId: 'kpis', version: '0' }, { csrf: false })
    expect(res.status).toBe(403)
    const evil = await rep.post('/dashboard/layout', { action: 'remove', widgetId: 'kpis', version: '0', returnTo: 'https://exemple.com/' })
    expect(evil.res.headers.get('location')).toBe('/?personnaliser=1')
  })
})

describe('a layout post', () => {
  it('without its version is refused, never read as version 0', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    const { res, html } = await rep.post('/dashboard/layout', { js: '1', action: 'remove', widgetId: 'kpis', commandId: randomUUID() })
    // (As above, the 400 reaches the editor's fetcher; a direct request gets the body.)
    expect(res.status).not.toBe(500)
    expect(JSON.parse(html)).toEqual({ ok: false, message: expect.any(String) })
    const noJs = await rep.post('/dashboard/layout', {
      action: 'remove',
      widgetId: 'kpis',
      version: 'abc',
      commandId: randomUUID(),
      returnTo: '/?personnaliser=1',
    })
    expect(noJs.res.status).toBe(302)
    expect(noJs.res.headers.get('location')).toBe('/?personnaliser=1&erreur=invalide')
  })
})
