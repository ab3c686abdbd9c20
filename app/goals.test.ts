import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStream } from '../domain/shared/run-command.js'
import { fieldError, startTestApp, textOf, type TestApp } from './testing/app-server.js'
import { createUser } from '../domain/identity/identity.commands.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { TEST_NOW } from '../testing/clock.js'

// /goals over real HTTP: who may set revenue goals, for whom, and what they become.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

// The Paris month of the app's clock (the tests' one), not of today.
const month = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(TEST_NOW)

describe('revenue goals', () => {
  it('lets a manager set a monthly goal for a rep of the team, then change it', async () => {
    const w = await givenWorkspace(app.rt.db)
    const manager = await app.login(w.emails.manager)
    const page = await manager.get('/goals')
    expect(page.res.status).toBe(200)
    // The manager's choices: their team and its people, not the admin (no team).
    expect(page.html).toContain(`value="team:${w.teamId}"`)
    expect(page.html).toContain(`value="user:${w.users.commercial}"`)
    expect(page.html).not.toContain(`value="user:${w.users.admin}"`)

    const { res } = await manager.post('/goals', { intent: 'set', cible: `user:${w.users.commercial}`, periode: month(), objectif: '50 000' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/goals?enregistre=1')
    const after = textOf((await manager.get('/goals?enregistre=1')).html)
    expect(after).toContain('Objectif enregistré.')
    expect(after).toContain('50 000 €')

    await manager.post('/goals', { intent: 'set', cible: `user:${w.users.commercial}`, periode: month(), objectif: '62 500,50' })
    const rows = await app.rt.db.selectFrom('goals').selectAll().where('workspace_id', '=', w.workspaceId).execute()
    expect(rows).toEqual([expect.objectContaining({ scope: 'user', scope_id: w.users.commercial, period: month(), target_cents: 6_250_050, version: 2 })])
    const events = await readStream(app.rt.db, w.workspaceId, rows[0].id)
    expect(events.map((e) => [e.stream_type, e.type])).toEqual([
      ['goal', 'GoalSet'],
      ['goal', 'GoalSet'],
    ])
    expect(events[1].meta).toMatchObject({ actorId: w.users.manager, source: 'web' })
  })

  it('sets a quarterly team goal and removes it', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    const [y, m] = month().split('-').map(Number)
    const quarter = `${y}-Q${Math.floor((m - 1) / 3) + 1}`
    await admin.post('/goals', { intent: 'set', cible: `team:${w.teamId}`, periode: quarter, objectif: '300000' })
    const goal = await app.rt.db.selectFrom('goals').selectAll().where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
    expect(goal).toMatchObject({ scope: 'team', period: quarter, target_cents: 30_000_000 })
    await admin.get('/goals')
    const { res } = await admin.post('/goals', { intent: 'remove', goalId: goal.id, version: String(goal.version) })
    expect(res.headers.get('location')).toBe('/goals?supprime=1')
    expect(textOf((await admin.get('/goals?supprime=1')).html)).toContain('Aucun objectif fixé pour l’instant.')
    const events = await readStream(app.rt.db, w.workspaceId, goal.id)
    expect(events.at(-1)).toMatchObject({ type: 'GoalRemoved', data: { id: goal.id } })
  })

  it('refuses a bad amount and a missing target beside their fields, and saves nothing', async () => {
    const w = await givenWorkspace(app.rt.db)
    const manager = await app.login(w.emails.manager)
    const { res, html } = await manager.post('/goals', { intent: 'set', cible: '', periode: month(), objectif: '12,345' })
    expect(res.status).toBe(400)
    expect(fieldError(html, 'cible')).toBe('Choisissez un commercial ou une équipe.')
    expect(fieldError(html, 'objectif')).toBe('Le montant ne peut pas avoir plus de deux décimales.')
    const zero = await manager.post('/goals', { intent: 'set', cible: `user:${w.users.commercial}`, periode: month(), objectif: '0' })
    expect(fieldError(zero.html, 'objectif')).toBe('L’objectif doit être un montant positif.')
    expect(await app.rt.db.selectFrom('goals').select('id').where('workspace_id', '=', w.workspaceId).execute()).toEqual([])
  })

  it('answers 403 to a commercial and to finance, and to a manager aiming outside the team', async () => {
    const w = await givenWorkspace(app.rt.db)
    const other = await givenWorkspace(app.rt.db, 'Autre Atelier')
    for (const email of [w.emails.commercial, w.emails.finance]) {
      const client = await app.login(email)
      expect((await client.get('/goals')).res.status).toBe(403)
      const { res } = await client.post('/goals', { intent: 'set', cible: `user:${w.users.commercial}`, periode: month(), objectif: '1000' })
      expect(res.status).toBe(403)
    }
    const manager = await app.login(w.emails.manager)
    expect((await manager.post('/goals', { intent: 'set', cible: `user:${w.users.admin}`, periode: month(), objectif: '1000' })).res.status).toBe(403)
    // Another workspace's rep is simply not found.
    const foreign = await manager.post('/goals', { intent: 'set', cible: `user:${other.users.commercial}`, periode: month(), objectif: '1000' })
    expect(fieldError(foreign.html, 'cible')).toBe('Commercial introuvable.')
    expect(await app.rt.db.selectFrom('goals').select('id').where('workspace_id', 'in', [w.workspaceId, other.workspaceId]).execute()).toEqual([])
    // The dashboard offers the goals page to managers and admins only.
    expect((await manager.get('/')).html).toContain('href="/goals"')
    expect((await (await app.login(w.emails.commercial)).get('/')).html).not.toContain('href="/goals"')
  })

  it('shows the goals link only to whom /goals opens: a manager with a team, not one without', async () => {
    const w = await givenWorkspace(app.rt.db)
    const email = `manager-sans-equipe-${w.workspaceId.slice(0, 8)}@exemple.fr`
    await createUser(app.rt.db, { workspaceId: w.workspaceId, email, fullName: 'Manager sans équipe', password: TEST_PASSWORD, role: 'manager', teamId: null })
    const teamless = await app.login(email)
    expect((await teamless.get('/')).html).not.toContain('href="/goals"')
    expect((await teamless.get('/goals')).res.status).toBe(403)
    const manager = await app.login(w.emails.manager)
    expect((await manager.get('/')).html).toContain('href="/goals"')
    expect((await manager.get('/goals')).res.status).toBe(200)
  })
})
