import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import type { ContactFields } from '../domain/crm/contact.js'
import { createOrganisationCommand, updateOrganisationCommand } from '../domain/crm/crm.commands.js'
import type { CommandContext } from '../domain/shared/events.js'
import type { Db } from '../db/kysely.js'
import { createUser } from '../domain/identity/identity.commands.js'
import { decodeEntities, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { forWorkspace } from '../db/tenant.js'
import type { Auth } from './utils/auth.server.js'
import { fuzzyQuery } from './utils/search.server.js'

// Global search over real HTTP: accents and typos tolerated, SIREN/SIRET and phones in
// any format, and never a record of another workspace or one the role may not see.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let rep: WebClient
let other: string
const ids = {} as Record<string, string>

async function givenCompany(db: Db, ctx: CommandContext, name: string, siren: string | null, ownerId: string | null = null) {
  const id = randomUUID()
  await createOrganisationCommand(db, ctx, {
    id,
    fields: {
      name,
      siren,
      siret: null,
      vat_number: null,
      address: null,
      postal_code: null,
      city: 'Paris',
      sector: null,
      size: null,
      status: 'client',
      owner_id: ownerId,
    },
  })
  return id
}

async function givenContact(db: Db, ctx: CommandContext, over: Partial<ContactFields>) {
  const id = randomUUID()
  await createContactCommand(db, ctx, {
    id,
    fields: {
      civility: null,
      first_name: 'Jean',
      last_name: 'Dupont',
      job_title: null,
      emails: [],
      phones: [],
      organisation_id: null,
      owner_id: null,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
      ...over,
    },
  })
  return id
}

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  const db = app.rt.db
  w = await givenWorkspace(db, 'Conseil & Associés')
  other = await createUser(db, {
    workspaceId: w.workspaceId,
    email: `autre-${randomUUID().slice(0, 8)}@exemple.fr`,
    fullName: 'Autre Commercial',
    password: TEST_PASSWORD,
    role: 'commercial',
  })
  ids.sg = await givenCompany(db, w.ctx(), 'Société Générale', '552120222')
  ids.bouygues = await givenCompany(db, w.ctx(), 'Bouygues Construction', '572015246')
  ids.hidden = await givenCompany(db, w.ctx(), 'Galeries Lafayette', '542051180', other)
  await givenCompany(db, w.ctx(), 'Boulangerie Martin', null)
  ids.contact = await givenContact(db, w.ctx(), {
    first_name: 'Hélène',
    last_name: 'Lefèvre',
    emails: ['helene.lefevre@exemple.fr'],
    phones: ['06 12 34 56 78'],
    organisation_id: ids.sg,
  })
  ids.hiddenContact = await givenContact(db, w.ctx(), { first_name: 'Hélène', last_name: 'Lefebvre-Secret', phones: ['+33 6 98 76 54 32'], owner_id: other })
  ids.deal = await givenDeal(db, w.ctx(), { organisationId: ids.sg, title: 'Rénovation du siège social', ownerId: null })
  ids.hiddenDeal = await givenDeal(db, w.ctx(), { organisationId: ids.sg, title: 'Rénovation confidentielle', ownerId: other })
  // Another workspace with look-alike names: never found.
  const b = await givenWorkspace(db, 'Espace B')
  await givenCompany(db, b.ctx(), 'Société Générale Bis', '552120222')
  const bOrg = await givenOrganisation(db, b.ctx(), { name: 'Bouygues Télécom' })
  await givenDeal(db, b.ctx(), { organisationId: bOrg, title: 'Rénovation étrangère' })
  await givenContact(db, b.ctx(), { first_name: 'Hélène', last_name: 'Étrangère', phones: ['06 12 34 56 78'] })
  admin = await app.login(w.emails.admin)
  rep = await app.login(w.emails.commercial)
})
afterAll(async () => {
  await app?.stop()
})

const search = async (client: WebClient, q: string) => {
  const { res, html } = await client.get(`/search?q=${encodeURIComponent(q)}`)
  expect(res.status).toBe(200)
  return decodeEntities(html)
}
const links = (html: string, kind: string) => [...html.matchAll(new RegExp(`href="/${kind}/([0-9a-f-]{36})"`, 'g'))].map((m) => m[1])

describe('global search', () => {
  it('finds "Société Générale" typed without accents', async () => {
    const html = await search(admin, 'Societe Generale')
    expect(links(html, 'organisations')).toEqual([ids.sg])
  })

  it('finds a misspelt name ("Bouyges")', async () => {
    expect(links(await search(admin, 'Bouyges'), 'organisations')).toEqual([ids.bouygues])
    expect(links(await search(admin, 'bouigues construction'), 'organisations')).toContain(ids.bouygues)
  })

  it('ranks names starting with the query first', async () => {
    const html = await search(admin, 'bou')
    const orgs = links(html, 'organisations')
    expect(orgs.slice(0, 2).sort()).toEqual([ids.bouygues, orgs.find((id) => id !== ids.bouygues)].sort())
    expect(orgs).not.toContain(ids.sg)
  })

  it('finds an organisation by SIREN or SIRET, spaces or not', async () => {
    expect(links(await search(admin, '552 120 222'), 'organisations')).toEqual([ids.sg])
    expect(links(await search(admin, '552120222'), 'organisations')).toEqual([ids.sg])
  })

  it('finds a deal by a misspelt, unaccented title', async () => {
    const html = await search(admin, 'renovaton siege')
    expect(links(html, 'deals')).toContain(ids.deal)
  })

  it('finds a contact by name without accents, in either order', async () => {
    expect(links(await search(admin, 'helene lefevre'), 'contacts')).toContain(ids.contact)
    expect(links(await search(admin, 'Lefevre Helene'), 'contacts')).toContain(ids.contact)
  })

  it('finds a contact by phone typed in any format', async () => {
    for (const q of ['06 12 34 56 78', '0612345678', '+33 6 12 34 56 78', '+33612345678', '06.12.34.56.78']) {
      expect(links(await search(admin, q), 'contacts'), q).toEqual([ids.contact])
    }
  })

  it('finds a contact by e-mail, whatever the case', async () => {
    expect(links(await search(admin, 'Helene.Lefevre@Exemple.fr'), 'contacts')).toEqual([ids.contact])
  })

  it("corrects a word against the workspace's own words, a renamed record's new words included", async () => {
    const id = await givenCompany(app.rt.db, w.ctx(), 'Tonnellerie Favre', null)
    await updateOrganisationCommand(app.rt.db, w.ctx(), {
      id,
      expectedVersion: 1,
      fields: {
        name: 'Tonnellerie Vauquelin',
        siren: null,
        siret: null,
        vat_number: null,
        address: null,
        postal_code: null,
        city: 'Paris',
        sector: null,
        size: null,
        status: 'client',
        owner_id: null,
      },
    })
    expect(links(await search(admin, 'vauqelin tonelerie'), 'organisations')).toEqual([id])
    const auth = { user: { workspaceId: w.workspaceId }, tenant: forWorkspace(app.rt.db, w.workspaceId) } as unknown as Auth
    // A known word is itself, an unknown one a prefix (being typed) or its closest known words.
    expect(await fuzzyQuery(auth, 'Tonnellerie vauq')).toBe('(tonnellerie) & (vauq:* | vauquelin)')
    // "Télécom" is a word of the other workspace only: never offered here.
    expect(await fuzzyQuery(auth, 'telecomm')).toBe('(telecomm:*)')
    expect(await fuzzyQuery(auth, "l'a b' & | !x")).toBeNull()
  })

  it("never returns another workspace's records", async () => {
    for (const q of ['Societe Generale', 'Bouygues', 'Renovation', 'Hélène', '06 12 34 56 78', '552120222']) {
      const html = await search(admin, q)
      expect(html, q).not.toContain('Bis')
      expect(html, q).not.toContain('Télécom')
      expect(html, q).not.toContain('étrangère')
      expect(html, q).not.toContain('Étrangère')
    }
  })

  it('never shows a commercial what they may not see', async () => {
    expect(links(await search(rep, 'Galeries Lafayette'), 'organisations')).toEqual([])
    expect(links(await search(rep, '542051180'), 'organisations')).toEqual([])
    expect(links(await search(rep, 'renovation'), 'deals')).toEqual([ids.deal])
    expect(links(await search(rep, '06 98 76 54 32'), 'contacts')).toEqual([])
    expect(links(await search(rep, 'Helene'), 'contacts')).toEqual([ids.contact])
    // The admin sees them all.
    expect(links(await search(admin, 'Galeries Lafayette'), 'organisations')).toEqual([ids.hidden])
    expect(links(await search(admin, 'renovation'), 'deals').sort()).toEqual([ids.deal, ids.hiddenDeal].sort())
  })

  it('says so in French when nothing matches or the query is too short', async () => {
    expect(await search(admin, 'zzzzqqq')).toContain('Aucun résultat pour « zzzzqqq »')
    expect(await search(admin, 'a')).toContain('Saisissez au moins 2 caractères.')
  })

  it('treats % and _ as plain characters', async () => {
    const html = await search(admin, '%%')
    expect(links(html, 'organisations')).toEqual([])
  })

  it('is behind the login', async () => {
    const { res } = await app.client().get('/search?q=societe')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/login?redirectTo=%2Fsearch%3Fq%3Dsociete')
  })
})
