import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import { DEFAULT_DIRECTORY_URL } from '../domain/crm/company-directory.js'
import { decodeEntities, fieldError, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation, organisationForm } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// Records as workspaces (issue 13): the read view and its Modifier, tags and notes,
// switchboard/website/e-mail, quick actions, the won-deal rule, the company directory
// (msw emulation of its documented /search answer), duplicate contacts.

const directory = setupServer(
  http.get(`${DEFAULT_DIRECTORY_URL}/search`, ({ request }) => {
    const q = new URL(request.url).searchParams.get('q')
    if (q === 'panne') return new HttpResponse(null, { status: 502 })
    const results =
      q === '732829320'
        ? [
            {
              siren: '732829320',
              nom_complet: 'MENUISERIE MOREL',
              nature_juridique: '5710',
              tranche_effectif_salarie: '12',
              siege: {
                siret: '73282932000074',
                numero_voie: '4',
                type_voie: 'RUE',
                libelle_voie: 'DES ARTISANS',
                code_postal: '69003',
                libelle_commune: 'LYON',
                activite_principale: '16.23Z',
              },
            },
          ]
        : []
    return HttpResponse.json({ results, total_results: results.length, page: 1, per_page: 5, total_pages: 1 })
  }),
)

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let finance: WebClient
let org: string
const text = (html: string) => textOf(decodeEntities(html)).replace(/<[^>]+>/g, '')

beforeAll(async () => {
  // Only the directory is emulated: the test client's own calls to the app go through.
  directory.listen({ onUnhandledRequest: 'bypass' })
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Fiches SA')
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Atelier Morel' })
  admin = await app.login(w.emails.admin)
  finance = await app.login(w.emails.finance)
})
afterAll(async () => {
  await app?.stop()
  directory.close()
  delete process.env.ALFORIS_COMPANY_LOOKUP
})

describe('organisation page', () => {
  it('opens as a read view; Modifier (a plain link) shows the form', async () => {
    const { html } = await admin.get(`/organisations/${org}`)
    expect(html).toMatch(/href="[^"]*\?modifier=1#modifier"/)
    expect(html).not.toContain('name="name"')
    expect(text(html)).toContain('Aucune étiquette.')
    expect(html).toContain(`href="/deals/new?organisation=${org}"`)
    expect(html).toContain(`href="/quotes/new?organisation=${org}"`)
    const edit = await admin.get(`/organisations/${org}?modifier=1`)
    expect(edit.html).toContain('name="tags"')
    expect(edit.html).toContain('name="notes"')
  })

  it('saves tags, notes, switchboard, website and e-mail, shown on the read view with tel: and mailto:', async () => {
    const { html: form } = await admin.get(`/organisations/${org}?modifier=1`)
    const version = /name="version" value="(\d+)"/.exec(form)![1]
    const { res } = await admin.post(
      `/organisations/${org}?modifier=1`,
      organisationForm({
        name: 'Atelier Morel',
        version,
        tags: 'salon, partenaire, salon',
        notes: 'Rappeler après le salon.\nDemander Mme Morel.',
        phone: '04 78 00 00 01',
        website: 'atelier-morel.fr',
        email: 'Contact@Atelier-Morel.fr',
      }),
    )
    expect(res.status).toBe(302)
    const { html } = await admin.get(`/organisations/${org}`)
    const shown = text(html)
    expect(shown).toContain('salon')
    expect(shown).toContain('partenaire')
    expect(shown).toContain('Demander Mme Morel.')
    expect(html).toContain('href="tel:+33478000001"')
    expect(html).toContain('href="mailto:contact@atelier-morel.fr"')
    expect(html).toContain('href="https://atelier-morel.fr/"')
    const row = await app.rt.db.selectFrom('organisations').selectAll().where('id', '=', org).executeTakeFirstOrThrow()
    expect(row.tags).toEqual(['salon', 'partenaire'])
  })

  it('refuses a script address for the website with a French message beside the field, and keeps the form open', async () => {
    const { html: form } = await admin.get(`/organisations/${org}?modifier=1`)
    const version = /name="version" value="(\d+)"/.exec(form)![1]
    const { res, html } = await admin.post(`/organisations/${org}`, organisationForm({ name: 'Atelier Morel', version, website: 'javascript:alert(1)' }))
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(decodeEntities(fieldError(html, 'website') ?? '')).toContain('Adresse de site invalide')
    expect(html).toContain('name="tags"')
  })

  it('shows finance a read view without Modifier, and refuses its save', async () => {
    const { html } = await finance.get(`/organisations/${org}?modifier=1`)
    expect(html).not.toContain('name="name"')
    expect(html).not.toContain('?modifier=1#modifier')
    const { res } = await finance.post(`/organisations/${org}`, organisationForm({ version: '1' }))
    expect(res.status).toBe(403)
  })

  it('answers 404 for an organisation of another workspace', async () => {
    const b = await givenWorkspace(app.rt.db, 'Autre espace')
    const theirs = await givenOrganisation(app.rt.db, b.ctx(), { name: 'Secret SARL' })
    expect((await admin.get(`/organisations/${theirs}`)).res.status).toBe(404)
    expect((await admin.post(`/organisations/${theirs}`, organisationForm({ version: '1' }))).res.status).toBe(404)
  })
})

describe('status follows the deals', () => {
  it('makes a prospect a client when its deal is won, records why, and leaves a hand-set status alone', async () => {
    const o = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Scierie Blanc' })
    const d1 = await givenDeal(app.rt.db, w.ctx(), { organisationId: o })
    await changeDealStageCommand(app.rt.db, w.ctx(), { id: d1, to: 'SIGNE' })
    const after = await app.rt.db.selectFrom('organisations').select(['status', 'status_manual']).where('id', '=', o).executeTakeFirstOrThrow()
    expect(after).toEqual({ status: 'client', status_manual: false })
    const { html } = await admin.get(`/organisations/${o}`)
    expect(text(html)).toContain('Statut mis à jour : affaire gagnée')

    // A person sets "ancien client"; a second won deal does not flip it back.
    const { html: form } = await admin.get(`/organisations/${o}?modifier=1`)
    const version = /name="version" value="(\d+)"/.exec(form)![1]
    expect((await admin.post(`/organisations/${o}`, organisationForm({ name: 'Scierie Blanc', version, status: 'ancien_client' }))).res.status).toBe(302)
    const d2 = await givenDeal(app.rt.db, w.ctx(), { organisationId: o })
    await changeDealStageCommand(app.rt.db, w.ctx(), { id: d2, to: 'SIGNE' })
    const final = await app.rt.db.selectFrom('organisations').select(['status', 'status_manual']).where('id', '=', o).executeTakeFirstOrThrow()
    expect(final).toEqual({ status: 'ancien_client', status_manual: true })
  })
})

describe('company directory on the organisation form', () => {
  it('says so, in French, when the lookup is off', async () => {
    delete process.env.ALFORIS_COMPANY_LOOKUP
    const { html } = await admin.get('/organisations/new?annuaire=732829320')
    expect(text(html)).toContain('n’est pas activée sur ce serveur')
  })

  it('finds a company by SIRET and prefills the form without JavaScript', async () => {
    process.env.ALFORIS_COMPANY_LOOKUP = 'on'
    const { html } = await admin.get('/organisations/new?annuaire=73282932000074')
    expect(text(html)).toContain('MENUISERIE MOREL')
    expect(text(html)).toContain('SAS')
    expect(decodeEntities(html)).toContain('?annuaire=73282932000074&siren=732829320"')
    const chosen = await admin.get('/organisations/new?annuaire=73282932000074&siren=732829320')
    expect(chosen.html).toMatch(/name="siret"[^>]*value="73282932000074"/)
    expect(chosen.html).toMatch(/name="city"[^>]*value="LYON"/)
    expect(chosen.html).toMatch(/name="sector"[^>]*value="NAF 16.23Z"/)
  })

  it('says the directory is unreachable when it fails', async () => {
    process.env.ALFORIS_COMPANY_LOOKUP = 'on'
    const { html } = await admin.get('/organisations/new?annuaire=panne')
    expect(text(html)).toContain('L’annuaire des entreprises ne répond pas')
  })
})

describe('duplicate contacts', () => {
  const contactForm = (over: Record<string, string>) => ({
    civility: '',
    first_name: 'Claire',
    last_name: 'Morel',
    job_title: '',
    emails: '',
    phones: '',
    organisation_id: '',
    owner_id: '',
    commandId: randomUUID(),
    ...over,
  })

  it('flags the same e-mail (case aside) and the same name in the same organisation; "Créer quand même" goes ahead', async () => {
    const existing = randomUUID()
    await createContactCommand(app.rt.db, w.ctx(), {
      id: existing,
      fields: {
        civility: null,
        first_name: 'Claire',
        last_name: 'Morel',
        job_title: null,
        emails: ['claire.morel@atelier-morel.fr'],
        phones: [],
        organisation_id: org,
        owner_id: null,
        shared: false,
        gdpr_consent: false,
        consent_source: null,
        consent_date: null,
        marketing_opt_out: false,
      },
    })
    const byEmail = await admin.post('/contacts/new', contactForm({ first_name: 'C.', emails: 'Claire.Morel@Atelier-Morel.FR' }))
    expect(byEmail.res.status).toBe(409)
    expect(text(byEmail.html)).toContain('Ce contact existe peut-être déjà')
    expect(text(byEmail.html)).toContain('même e-mail')
    expect(byEmail.html).toContain(`href="/contacts/${existing}"`)

    const byName = await admin.post('/contacts/new', contactForm({ first_name: 'claire', last_name: 'MOREL', organisation_id: org }))
    expect(byName.res.status).toBe(409)
    expect(text(byName.html)).toContain('même nom dans cette organisation')

    const anyway = await admin.post('/contacts/new', contactForm({ first_name: 'claire', last_name: 'MOREL', organisation_id: org, confirmDuplicate: '1' }))
    expect(anyway.res.status).toBe(302)
  })

  it('does not flag the same name in another organisation, nor a contact of another workspace', async () => {
    const b = await givenWorkspace(app.rt.db, 'Tiers')
    await createContactCommand(app.rt.db, b.ctx(), {
      id: randomUUID(),
      fields: {
        civility: null,
        first_name: 'Paul',
        last_name: 'Tiers',
        job_title: null,
        emails: ['paul@tiers.fr'],
        phones: [],
        organisation_id: null,
        owner_id: null,
        shared: false,
        gdpr_consent: false,
        consent_source: null,
        consent_date: null,
        marketing_opt_out: false,
      },
    })
    const { res } = await admin.post('/contacts/new', contactForm({ first_name: 'Paul', last_name: 'Tiers', emails: 'paul@tiers.fr' }))
    expect(res.status).toBe(302)
    const other = await admin.post('/contacts/new', contactForm({ organisation_id: '' }))
    expect(other.res.status).toBe(302)
  })
})
