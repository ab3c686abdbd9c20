import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCompanySettings } from '../domain/sales/company-settings.js'
import { startTestApp, fieldError, textOf, type TestApp } from './testing/app-server.js'
import { givenWorkspace } from '../testing/fixtures.js'

// /settings/company through real HTTP (the built app): admins only, French errors
// beside the field with nothing saved, then a multipart save with a logo served back.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
}, 120_000)
afterAll(async () => {
  await app?.stop()
})

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkqGcAAAIAAQD/2X0yAAAAAElFTkSuQmCC', 'base64')

const good = {
  company_name: 'Menuiseries Dupont',
  legal_form: 'SARL',
  share_capital: '7 500',
  siren: '732829320',
  siret: '73282932000074',
  rcs_city: 'Lyon',
  vat_number: 'FR44732829320',
  address: '3 rue des Lilas',
  postal_code: '69003',
  city: 'Lyon',
  email: 'contact@dupont.fr',
  phone: '',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'AGRIFRPP',
  brand_color: '#0f5132',
  default_payment_terms: 'À 30 jours.',
  default_validity_days: '45',
}

function multipart(fields: Record<string, string>, csrf: string, logo?: Buffer) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.set(k, v)
  fd.set('csrf', csrf)
  if (logo) fd.set('logo', new Blob([new Uint8Array(logo)], { type: 'image/png' }), 'logo.png')
  return fd
}

describe('/settings/company', () => {
  it('is for admins only', async () => {
    const w = await givenWorkspace(app.rt.db)
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get('/settings/company')).res.status).toBe(403)
  })

  it('shows French errors beside a bad IBAN, SIRET and colour, and saves nothing', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    const { html: page } = await admin.get('/settings/company')
    expect(textOf(page)).toContain('Société et mentions légales')
    const res = await admin.request('/settings/company', {
      method: 'POST',
      body: multipart(
        { ...good, version: '0', iban: 'FR76 3000 6000 0112 3456 7890 188', siret: '73282932000075', brand_color: '#fde047', share_capital: 'dix' },
        admin.csrf,
      ),
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(fieldError(html, 'iban')).toMatch(/^IBAN invalide/)
    expect(fieldError(html, 'siret')).toMatch(/^SIRET invalide/)
    expect(fieldError(html, 'brand_color')).toMatch(/^Couleur trop claire/)
    expect(fieldError(html, 'share_capital')).toMatch(/^Capital social invalide/)
    // What was typed stays in the form.
    expect(html).toContain('value="Menuiseries Dupont"')
    expect((await loadCompanySettings(app.rt.db, w.workspaceId)).version).toBe(0)
  })

  it('saves the settings and the logo; the logo is served to the workspace only', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    await admin.get('/settings/company')
    const res = await admin.request('/settings/company', { method: 'POST', body: multipart({ ...good, version: '0' }, admin.csrf, PNG) })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/settings/company?enregistre=1')
    const s = await loadCompanySettings(app.rt.db, w.workspaceId)
    expect(s).toMatchObject({
      company_name: 'Menuiseries Dupont',
      share_capital_cents: 750_000,
      iban: 'FR7630006000011234567890189',
      default_validity_days: 45,
      version: 1,
    })
    expect(s.logo_sha256).toMatch(/^[0-9a-f]{64}$/)
    const { html } = await admin.get('/settings/company?enregistre=1')
    expect(textOf(html)).toContain('Menuiseries Dupont SARL au capital de 7 500,00 € — RCS Lyon 732 829 320')
    const logo = await admin.request(`/settings/company/logo/${s.logo_sha256}`)
    expect(logo.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await logo.arrayBuffer()).equals(PNG)).toBe(true)
    const other = await givenWorkspace(app.rt.db)
    const stranger = await app.login(other.emails.admin)
    expect((await stranger.request(`/settings/company/logo/${s.logo_sha256}`)).status).toBe(404)

    // A text file named .png is refused by its content.
    await admin.get('/settings/company')
    const bad = await admin.request('/settings/company', {
      method: 'POST',
      body: multipart({ ...good, version: '1' }, admin.csrf, Buffer.from('pas une image')),
    })
    expect(bad.status).toBe(422)
    expect(fieldError(await bad.text(), 'logo')).toBe('Le logo doit être une image PNG ou JPEG.')
  })
})
