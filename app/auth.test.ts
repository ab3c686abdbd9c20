import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, startTestApp, type TestApp } from './testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

const countOrganisations = async (workspaceId: string) =>
  Number(
    (
      await app.rt.db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('signing in', () => {
  it('sends a visitor without a session to the login page, then back where they were going', async () => {
    const w = await givenWorkspace(app.rt.db)
    const visitor = app.client()
    const { res } = await visitor.get('/deals?etape=PROSPECT')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fdeals%3Fetape%3DPROSPECT')

    const { html } = await visitor.get('/login?redirectTo=%2Fdeals%3Fetape%3DPROSPECT')
    expect(html).toContain('lang="fr"')
    expect(html).toContain('Connexion')
    const login = await visitor.post('/login', { email: w.emails.commercial, password: TEST_PASSWORD, redirectTo: '/deals?etape=PROSPECT' })
    expect(login.res.status).toBe(302)
    expect(login.res.headers.get('Location')).toBe('/deals?etape=PROSPECT')
    const cookie = login.res.headers.getSetCookie().find((c) => c.startsWith('alforis_session='))!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).not.toMatch(/Secure/i) // plain http here; https requests get Secure

    const page = await visitor.get('/deals')
    expect(page.res.status).toBe(200)
    expect(page.html).toContain('Affaires')
  })

  it('refuses a wrong password in French and keeps the typed email', async () => {
    const w = await givenWorkspace(app.rt.db)
    const visitor = app.client()
    await visitor.get('/login')
    const { res, html } = await visitor.post('/login', { email: w.emails.admin, password: 'pas-le-bon' })
    expect(res.status).toBe(401)
    expect(html).toContain('E-mail ou mot de passe incorrect.')
    expect(html).toContain(`value="${w.emails.admin}"`)
    expect(visitor.cookies.has('alforis_session')).toBe(false)
  })

  it('never redirects off-site after login', async () => {
    const w = await givenWorkspace(app.rt.db)
    const visitor = app.client()
    await visitor.get('/login')
    const { res } = await visitor.post('/login', { email: w.emails.admin, password: TEST_PASSWORD, redirectTo: '//evil.example/x' })
    expect(res.headers.get('Location')).toBe('/')
  })

  it('rotates the session id at login and drops the previous one', async () => {
    const w = await givenWorkspace(app.rt.db)
    const browser = app.client()
    await browser.get('/login') // the login form's token cookie stays for the second login
    await browser.post('/login', { email: w.emails.admin, password: TEST_PASSWORD })
    const first = browser.cookies.get('alforis_session')!
    const relog = await browser.post('/login', { email: w.emails.admin, password: TEST_PASSWORD })
    expect(relog.res.status).toBe(302)
    const second = browser.cookies.get('alforis_session')!
    expect(second).not.toBe(first)
    const old = app.client()
    old.cookies.set('alforis_session', first)
    expect((await old.get('/')).res.status).toBe(302) // the old id no longer signs anyone in
    expect((await browser.get('/')).res.status).toBe(200)
  })

  it('ignores a tampered session cookie', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    const value = rep.cookies.get('alforis_session')!
    const forged = app.client()
    forged.cookies.set(
      'alforis_session',
      value.replace(/^(.)/, (c) => (c === 'a' ? 'b' : 'a')),
    )
    expect((await forged.get('/')).res.status).toBe(302)
  })
})

describe('login rate limiting', () => {
  it('after 5 failures in 15 minutes refuses even the right password, without checking it', async () => {
    const w = await givenWorkspace(app.rt.db)
    const visitor = app.client()
    await visitor.get('/login')
    for (let i = 0; i < 5; i++) {
      const { res } = await visitor.post('/login', { email: w.emails.finance, password: `faux-${i}` })
      expect(res.status).toBe(401)
    }
    const { res, html } = await visitor.post('/login', { email: w.emails.finance, password: TEST_PASSWORD })
    expect(res.status).toBe(429)
    expect(decodeEntities(html)).toContain('Trop de tentatives de connexion. Réessayez dans 15 minutes.')
    expect(visitor.cookies.has('alforis_session')).toBe(false)
    // Every attempt took its slot before any password was checked: 5 checked, the 6th refused.
    const { rows } = await sql<{ hits: number }>`select hits from rate_limits where key like ${`login:${w.emails.finance}|%`}`.execute(app.rt.db)
    expect(rows.map((r) => Number(r.hits))).toEqual([6])
  })

  it('counts per email and address: another address still gets in', async () => {
    const w = await givenWorkspace(app.rt.db)
    const attacker = app.client()
    await attacker.get('/login')
    // Express trusts X-Forwarded-For from loopback only (a local reverse proxy).
    for (let i = 0; i < 5; i++) await attacker.post('/login', { email: w.emails.manager, password: 'faux' }, { headers: { 'X-Forwarded-For': '203.0.113.7' } })
    const blocked = await attacker.post('/login', { email: w.emails.manager, password: TEST_PASSWORD }, { headers: { 'X-Forwarded-For': '203.0.113.7' } })
    expect(blocked.res.status).toBe(429)
    const owner = app.client()
    await owner.get('/login')
    const ok = await owner.post('/login', { email: w.emails.manager, password: TEST_PASSWORD }, { headers: { 'X-Forwarded-For': '198.51.100.2' } })
    expect(ok.res.status).toBe(302)
  })
})

describe('CSRF', () => {
  const org = {
    name: 'Forge Dupont',
    status: 'prospect',
    siren: '',
    siret: '',
    vat_number: '',
    address: '',
    postal_code: '',
    city: '',
    sector: '',
    size: '',
    owner_id: '',
  }

  it('refuses a POST without the session token and changes nothing', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    const { res, html } = await admin.post('/organisations/new', { ...org, commandId: randomUUID() }, { csrf: false })
    expect(res.status).toBe(403)
    expect(decodeEntities(html)).toContain('Le formulaire a expiré')
    const forged = await admin.post('/organisations/new', { ...org, commandId: randomUUID() }, { csrf: 'a'.repeat(43) })
    expect(forged.res.status).toBe(403)
    expect(await countOrganisations(w.workspaceId)).toBe(0)
  })

  it("refuses another session's token", async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    const other = await app.login(w.emails.commercial)
    const { res } = await admin.post('/organisations/new', { ...org, commandId: randomUUID() }, { csrf: other.csrf })
    expect(res.status).toBe(403)
    expect(await countOrganisations(w.workspaceId)).toBe(0)
  })

  it('refuses a cross-site POST even with a valid token', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    const viaOrigin = await admin.post('/organisations/new', { ...org, commandId: randomUUID() }, { headers: { Origin: 'https://evil.example' } })
    // Refused at the edge (app/http/origin-check.server.ts), before Remix's own check could make it a 500.
    expect(viaOrigin.res.status).toBe(403)
    const viaFetchSite = await admin.post('/organisations/new', { ...org, commandId: randomUUID() }, { headers: { 'Sec-Fetch-Site': 'cross-site' } })
    expect(viaFetchSite.res.status).toBe(403)
    expect(await countOrganisations(w.workspaceId)).toBe(0)
    const sameSite = await admin.post(
      '/organisations/new',
      { ...org, commandId: randomUUID() },
      { headers: { Origin: app.url, 'Sec-Fetch-Site': 'same-origin' } },
    )
    expect(sameSite.res.status).toBe(302)
    expect(await countOrganisations(w.workspaceId)).toBe(1)
  })

  it('refuses a login POST without the login form token', async () => {
    const w = await givenWorkspace(app.rt.db)
    const visitor = app.client()
    const { res } = await visitor.post('/login', { email: w.emails.admin, password: TEST_PASSWORD }, { csrf: false })
    expect(res.status).toBe(403)
  })
})

describe('signing out', () => {
  it('is POST only, needs the token, and ends the session server-side', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    const cookie = rep.cookies.get('alforis_session')!
    expect((await rep.get('/logout')).res.status).toBe(302)
    expect((await rep.get('/')).res.status).toBe(200) // a GET did not sign out
    expect((await rep.post('/logout', {}, { csrf: false })).res.status).toBe(403)
    const out = await rep.post('/logout', {})
    expect(out.res.status).toBe(302)
    expect(out.res.headers.get('Location')).toBe('/login')
    const replay = app.client()
    replay.cookies.set('alforis_session', cookie)
    expect((await replay.get('/')).res.status).toBe(302)
  })
})
