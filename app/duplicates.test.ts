import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { createUser } from '../domain/identity/identity.commands.js'
import { decodeEntities, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { organisationForm } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'

// Creating an organisation that looks like an existing one (same SIREN, or a name with a
// trigram similarity above 0.6) shows them first; "Créer quand même" goes ahead.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let rep: WebClient
let sg: string
let hidden: string

async function company(ctx: ReturnType<typeof w.ctx>, name: string, siren: string | null, ownerId: string | null = null) {
  const id = randomUUID()
  await createOrganisationCommand(app.rt.db, ctx, {
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

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Doublons SA')
  const other = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `autre-${randomUUID().slice(0, 8)}@exemple.fr`,
    fullName: 'Autre Commercial',
    password: TEST_PASSWORD,
    role: 'commercial',
  })
  sg = await company(w.ctx(), 'Société Générale', '552120222')
  hidden = await company(w.ctx(), 'Galeries Lafayette Haussmann', '542051180', other)
  const b = await givenWorkspace(app.rt.db, 'Autre espace')
  await company(b.ctx(), 'Plomberie Dubois', '572015246')
  admin = await app.login(w.emails.admin)
  rep = await app.login(w.emails.commercial)
})
afterAll(async () => {
  await app?.stop()
})

const count = async () =>
  Number(
    (
      await app.rt.db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('duplicate check on organisation create', () => {
  it('shows a very similar name (accents aside) with a link to it, and creates nothing', async () => {
    const before = await count()
    const { res, html } = await admin.post('/organisations/new', organisationForm({ name: 'Societe Generale' }))
    expect(res.status).toBe(409)
    const text = textOf(decodeEntities(html)).replace(/<[^>]+>/g, '')
    expect(text).toContain('Cette organisation existe peut-être déjà')
    expect(text).toContain('Société Générale · Paris · SIREN 552120222 · nom proche')
    expect(html).toContain(`href="/organisations/${sg}"`)
    expect(text).toContain('Utiliser l’existante')
    expect(html).toMatch(/<button[^>]*name="confirmDuplicate" value="1"[^>]*>Créer quand même<\/button>/)
    // What was typed is kept.
    expect(html).toMatch(/name="name"[^>]*value="Societe Generale"/)
    expect(await count()).toBe(before)
  })

  it('shows an organisation with the same SIREN whatever its name', async () => {
    const { res, html } = await admin.post('/organisations/new', organisationForm({ name: 'SG Paris', siren: '552 120 222' }))
    expect(res.status).toBe(409)
    expect(textOf(decodeEntities(html))).toContain('même SIREN')
  })

  it('creates it anyway with "Créer quand même"', async () => {
    const before = await count()
    const { res } = await admin.post('/organisations/new', organisationForm({ name: 'Societe Generale', confirmDuplicate: '1' }))
    expect(res.status).toBe(302)
    expect(await count()).toBe(before + 1)
  })

  it('creates at once when nothing looks alike (and ignores other workspaces)', async () => {
    const before = await count()
    const { res } = await admin.post('/organisations/new', organisationForm({ name: 'Plomberie Dubois', siren: '572015246' }))
    expect(res.status).toBe(302)
    expect(await count()).toBe(before + 1)
  })

  it('goes to the created organisation on a double submit, not to a duplicate notice', async () => {
    const form = organisationForm({ name: 'Double Clic SARL' })
    const first = await admin.post('/organisations/new', form)
    const second = await admin.post('/organisations/new', form)
    expect(first.res.status).toBe(302)
    expect(second.res.status).toBe(302)
    expect(second.res.headers.get('location')).toBe(first.res.headers.get('location'))
  })

  it('tells a commercial a similar organisation exists without naming one they may not see', async () => {
    const before = await count()
    const { res, html } = await rep.post('/organisations/new', organisationForm({ name: 'Galeries Lafayette Hausmann', owner_id: w.users.commercial }))
    expect(res.status).toBe(409)
    const text = textOf(decodeEntities(html))
    expect(text).toContain('1 organisation(s) similaire(s) existe(nt)')
    expect(text).not.toContain('Galeries Lafayette Haussmann')
    expect(html).not.toContain(hidden)
    expect(await count()).toBe(before)
  })

  it('leaves field errors to the form (no duplicate check on invalid input)', async () => {
    const { res, html } = await admin.post('/organisations/new', organisationForm({ name: 'Société Générale', siren: '123' }))
    expect(res.status).toBe(422)
    expect(decodeEntities(html)).toContain('SIREN invalide')
    expect(decodeEntities(html)).not.toContain('existe peut-être déjà')
  })
})
