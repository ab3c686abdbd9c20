import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { createTeam, createUser } from '../domain/identity/identity.commands.js'
import { setGoalCommand } from '../domain/dashboards/dashboards.commands.js'
import { parisDay } from '../domain/shared/paris-time.js'
import { startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { TEST_NOW } from '../testing/clock.js'
import { formatEuros } from './utils/format.js'

// The figures each role sees (the filter narrowed to what the role may see), and the
// PDF/PNG exports showing the same figures as the screen.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let southTeam: string
let southRep: string
beforeAll(async () => {
  app = await startTestApp()
  w = await givenWorkspace(app.rt.db, 'Chiffres du Rhône')
  southTeam = await createTeam(app.rt.db, { workspaceId: w.workspaceId, name: 'Équipe Sud' })
  southRep = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `sud-${randomUUID().slice(0, 6)}@exemple.fr`,
    fullName: 'Claire Petit',
    password: TEST_PASSWORD,
    role: 'commercial',
    teamId: southTeam,
  })
  const org = randomUUID()
  await createOrganisationCommand(app.rt.db, w.ctx(), {
    id: org,
    fields: {
      name: 'Boulangerie Martin',
      siren: null,
      siret: null,
      vat_number: null,
      address: null,
      postal_code: null,
      city: 'Lyon',
      sector: null,
      size: null,
      status: 'client',
      owner_id: null,
    },
  })
  // Won today: 10 000 € by the rep, 20 000,50 € by the manager (same team), 40 000 € by the south rep.
  // Open: 5 000 € by the rep. Lost: one by the manager.
  const deal = async (owner: string, cents: number, to: string | null) => {
    const id = randomUUID()
    await createDealCommand(app.rt.db, w.ctx(owner), {
      id,
      stage: 'PROSPECT',
      fields: {
        title: `Affaire ${cents}`,
        organisation_id: org,
        amount_cents: cents,
        expected_close_date: null,
        owner_id: owner,
        category: null,
        source: null,
        region: null,
      },
    })
    if (to) await changeDealStageCommand(app.rt.db, w.ctx(owner), { id, to, lostReason: to === 'PERDU' ? 'Prix' : null })
  }
  await deal(w.users.commercial, 1_000_000, 'SIGNE')
  await deal(w.users.commercial, 500_000, 'PROPOSITION')
  await deal(w.users.manager, 2_000_050, 'SIGNE')
  await deal(w.users.manager, 700_000, 'PERDU')
  await deal(southRep, 4_000_000, 'SIGNE')
  const manager = { id: w.users.manager, workspaceId: w.workspaceId, role: 'manager' as const, teamId: w.teamId }
  await setGoalCommand(app.rt.db, w.ctx(w.users.manager), manager, {
    scope: 'user',
    scopeId: w.users.commercial,
    period: parisDay(TEST_NOW).slice(0, 7),
    targetCents: 4_000_000,
  })
  await app.rt.projector!.waitForCatchUp(30_000)
}, 120_000)
afterAll(async () => {
  await app?.stop()
})

/** The KPI tiles as the page shows them: { revenue_won_cents: '30 001 €', … }. */
function kpisOf(html: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of html.matchAll(/data-kpi="([a-z_]+)"[\s\S]*?data-kpi-value="[^"]*">([^<]*)</g)) out[m[1]] = textOf(m[2])
  return out
}
const revenue = async (client: WebClient, query = '') => kpisOf((await client.get(`/${query}`)).html).revenue_won_cents
const euros = (c: number) => formatEuros(c, { rounded: true }).replace(/[\u202f\u00a0]/g, ' ')

describe('what each role counts', () => {
  it("counts only a commercial's own deals, whatever the URL asks", async () => {
    const rep = await app.login(w.emails.commercial)
    expect(await revenue(rep)).toBe(euros(1_000_000))
    expect(kpisOf((await rep.get('/')).html)).toMatchObject({ won_count: '1', lost_count: '0', open_pipeline_cents: euros(500_000) })
    // The open pipeline too is compared: at the end of yesterday, before these deals, it was empty.
    const tile = /data-kpi="open_pipeline_cents"[\s\S]*?<\/div>/.exec(textOf((await rep.get('/')).html))![0]
    expect(tile).toContain(`À la fin de la période précédente : ${euros(0)}`)
    expect(await revenue(rep, `?responsable=${w.users.manager}`)).toBe(euros(1_000_000))
    expect(await revenue(rep, `?equipe=${southTeam}`)).toBe(euros(1_000_000))
    // No team or rep picker for a commercial.
    const { html } = await rep.get('/')
    expect(html).not.toContain('name="responsable"')
    expect(html).not.toContain('name="equipe"')
  })

  it("counts a manager's team, and lets them narrow to one of its reps only", async () => {
    const manager = await app.login(w.emails.manager)
    expect(await revenue(manager)).toBe(euros(3_000_050))
    expect(kpisOf((await manager.get('/')).html)).toMatchObject({ won_count: '2', lost_count: '1', win_rate: '67 %' })
    expect(await revenue(manager, `?responsable=${w.users.commercial}`)).toBe(euros(1_000_000))
    // Outside the team: ignored, the team's figures stay.
    expect(await revenue(manager, `?responsable=${southRep}`)).toBe(euros(3_000_050))
    expect(await revenue(manager, `?equipe=${southTeam}`)).toBe(euros(3_000_050))
  })

  it('counts everything for admin and finance, by team or rep on demand', async () => {
    const admin = await app.login(w.emails.admin)
    const finance = await app.login(w.emails.finance)
    expect(await revenue(admin)).toBe(euros(7_000_050))
    expect(await revenue(finance)).toBe(euros(7_000_050))
    expect(await revenue(admin, `?equipe=${southTeam}`)).toBe(euros(4_000_000))
    expect(await revenue(admin, `?equipe=${w.teamId}`)).toBe(euros(3_000_050))
    expect(await revenue(admin, `?responsable=${southRep}`)).toBe(euros(4_000_000))
  })

  it('shows a rep their own goal against what they won', async () => {
    const rep = await app.login(w.emails.commercial)
    const text = textOf((await rep.get('/')).html)
    expect(text).toContain(`${euros(1_000_000)} sur ${euros(4_000_000)}`)
    expect(text).toContain('25 %')
  })

  it('keeps the period in the URL and says so when a custom period is wrong', async () => {
    const admin = await app.login(w.emails.admin)
    expect(await revenue(admin, '?periode=mois-precedent')).toBe(euros(0))
    const bad = textOf((await admin.get('/?periode=personnalisee&du=2026-03-10&au=2026-02-01')).html)
    expect(bad).toContain('Période personnalisée : la date de début doit précéder la date de fin.')
    const custom = textOf((await admin.get('/?periode=personnalisee&du=2025-01-01&au=2025-03-31')).html)
    expect(custom).toContain('Période personnalisée (01/01/2025 – 31/03/2025)')
  })
})

describe('exports', () => {
  // pdftotext -raw: the default mode guesses spaces from glyph gaps and loses them on short lines ("0 €" → "0€").
  it('exports the PDF with the figures of the screen, charts as vectors', async () => {
    const manager = await app.login(w.emails.manager)
    const { html } = await manager.get('/')
    const onScreen = kpisOf(html)
    expect(Object.keys(onScreen)).toHaveLength(8)
    const res = await manager.request('/dashboard/export.pdf')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tableau-de-bord-\d{4}-\d{2}-\d{2}\.pdf"$/)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-pdf-'))
    try {
      const file = path.join(dir, 'd.pdf')
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
      expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/)
      const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/[\u202f\u00a0]/g, ' ')
      expect(text).toContain('Tableau de bord')
      expect(text).toMatch(/Période : Ce trimestre \(\d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}\)/)
      expect(text).toContain('Équipe : Équipe Nord')
      for (const [key, value] of Object.entries(onScreen)) expect({ key, found: text.includes(value) }).toEqual({ key, found: true })
      expect(text).toContain('Taux de transformation')
      // Every widget of the manager's layout, with its figures as a table.
      for (const title of [
        'Indicateurs clés',
        'Évolution du chiffre d’affaires',
        'Objectifs et réalisé',
        'Entonnoir de conversion',
        'Meilleurs commerciaux',
        'Pipeline ouvert par étape',
        'Activité récente',
      ])
        expect(text).toContain(title)
      expect(text).toContain(euros(2_000_050))
      // Bars and lines are drawn, not pasted as pictures.
      expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("exports a commercial's PDF with their own figures only", async () => {
    const rep = await app.login(w.emails.commercial)
    const res = await rep.request('/dashboard/export.pdf')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-pdf-'))
    try {
      fs.writeFileSync(path.join(dir, 'd.pdf'), Buffer.from(await res.arrayBuffer()))
      const text = execFileSync('pdftotext', ['-raw', path.join(dir, 'd.pdf'), '-'], { encoding: 'utf8' }).replace(/[\u202f\u00a0]/g, ' ')
      expect(text).toContain(euros(1_000_000))
      expect(text).not.toContain(euros(2_000_050))
      expect(text).not.toContain(euros(7_000_050))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exports a valid PNG, and a French 501 where pdftoppm is missing', async () => {
    const manager = await app.login(w.emails.manager)
    const res = await manager.request('/dashboard/export.png?periode=annee')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    const png = Buffer.from(await res.arrayBuffer())
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR')
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)]
    expect(width).toBeGreaterThan(1000)
    expect(height).toBeGreaterThan(width)

    const saved = { PATH: process.env.PATH, PDFTOPPM_PATH: process.env.PDFTOPPM_PATH }
    process.env.PATH = '/nonexistent'
    delete process.env.PDFTOPPM_PATH
    try {
      const missing = await manager.request('/dashboard/export.png')
      expect(missing.status).toBe(501)
      expect(await missing.text()).toContain('L’export en image n’est pas disponible sur ce serveur')
    } finally {
      process.env.PATH = saved.PATH
      if (saved.PDFTOPPM_PATH) process.env.PDFTOPPM_PATH = saved.PDFTOPPM_PATH
    }
  })

  it('sends anonymous visitors to the login page instead of exporting', async () => {
    const res = await app.client().request('/dashboard/export.pdf')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^\/login\?redirectTo=/)
  })
})
