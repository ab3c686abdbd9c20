import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { createDb } from '../../db/kysely.js'
import { readStream } from '../shared/run-command.js'
import { createContactCommand } from '../crm/contact.commands.js'
import { createOrganisationCommand } from '../crm/crm.commands.js'
import { ConcurrencyError } from '../shared/errors.js'
import { companyStreamId, defaultCompanyFields, loadCompanySettings, saveCompanySettingsCommand, type CompanyFields } from './company-settings.js'
import { createQuoteCommand, sendQuoteCommand } from './quote.commands.js'
import type { QuoteSnapshot } from './quote-snapshot.js'
import { getQuoteVersion, verifyQuoteVersion } from './sales.queries.js'

let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase())
})
afterAll(async () => {
  await pg?.db.destroy()
})
const db = () => pg.db

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkqGcAAAIAAQD/2X0yAAAAAElFTkSuQmCC', 'base64')
const fields = (over: Partial<CompanyFields> = {}): CompanyFields => ({
  ...defaultCompanyFields('x'),
  company_name: 'Atelier Dupont',
  legal_form: 'SAS',
  share_capital_cents: 1_000_000,
  siren: '732829320',
  siret: '73282932000074',
  rcs_city: 'Lyon',
  vat_number: 'FR44732829320',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPP',
  address: '3 rue des Lilas',
  postal_code: '69003',
  city: 'Lyon',
  ...over,
})

describe('company settings', () => {
  it('defaults to the workspace name, saves with a version and an event, refuses a stale save', async () => {
    const w = await givenWorkspace(db(), 'Atelier Dupont')
    const before = await loadCompanySettings(db(), w.workspaceId)
    expect(before).toMatchObject({ company_name: 'Atelier Dupont', version: 0, brand_color: '#3730a3', default_validity_days: 30 })
    const saved = await saveCompanySettingsCommand(db(), w.ctx(), { expectedVersion: 0, fields: fields(), logo: { contentType: 'image/png', bytes: PNG } })
    expect(saved.version).toBe(1)
    expect(saved.logo_sha256).toMatch(/^[0-9a-f]{64}$/)
    await expect(saveCompanySettingsCommand(db(), w.ctx(), { expectedVersion: 0, fields: fields() })).rejects.toBeInstanceOf(ConcurrencyError)
    const again = await saveCompanySettingsCommand(db(), w.ctx(), { expectedVersion: 1, fields: fields({ rcs_city: 'Villefranche-sur-Saône' }) })
    expect(again).toMatchObject({ version: 2, rcs_city: 'Villefranche-sur-Saône', logo_sha256: saved.logo_sha256 })
    const events = await readStream(db(), w.workspaceId, companyStreamId(w.workspaceId))
    expect(events.map((e) => e.type)).toEqual(['CompanySettingsChanged', 'CompanySettingsChanged'])
    expect(events[1].data).toMatchObject({ changes: { rcs_city: 'Villefranche-sur-Saône' } })
  })

  it('freezes the seller into the sent version: later settings changes leave it alone', async () => {
    const w = await givenWorkspace(db())
    await saveCompanySettingsCommand(db(), w.ctx(), { expectedVersion: 0, fields: fields(), logo: { contentType: 'image/png', bytes: PNG } })
    const orgId = randomUUID()
    await createOrganisationCommand(db(), w.ctx(), {
      id: orgId,
      fields: {
        name: 'Boulangerie Martin',
        siren: null,
        siret: null,
        vat_number: null,
        address: null,
        postal_code: null,
        city: null,
        sector: null,
        size: null,
        status: 'client',
        owner_id: null,
      },
    })
    const contactId = randomUUID()
    await createContactCommand(db(), w.ctx(), {
      id: contactId,
      fields: {
        civility: 'Mme',
        first_name: 'Claire',
        last_name: 'Martin',
        job_title: null,
        emails: ['claire@martin.fr'],
        phones: [],
        organisation_id: orgId,
        owner_id: null,
        shared: false,
        gdpr_consent: false,
        consent_source: null,
        consent_date: null,
        marketing_opt_out: false,
      },
    })
    const id = randomUUID()
    await createQuoteCommand(db(), w.ctx(), {
      id,
      fields: { organisation_id: orgId, contact_id: contactId, deal_id: null, title: null, validity_days: 30, payment_terms: null, notes: null },
      lines: [
        {
          product_id: null,
          code: null,
          description: 'Conseil',
          unit: 'jour',
          quantity: '2',
          unit_price_cents: 80_000,
          discount: null,
          vat_rate: 2000,
          vat_exemption: null,
        },
      ],
    })
    await sendQuoteCommand(db(), w.ctx(), { id })
    await saveCompanySettingsCommand(db(), w.ctx(), { expectedVersion: 1, fields: fields({ company_name: 'Dupont & Fils', iban: null }), removeLogo: true })
    const v = await getQuoteVersion(db(), w.workspaceId, id, 1)
    const seller = (v.snapshot as QuoteSnapshot).seller
    expect(seller).toMatchObject({
      name: 'Atelier Dupont',
      legal_form: 'SAS',
      share_capital_cents: 1_000_000,
      siren: '732829320',
      rcs_city: 'Lyon',
      iban: 'FR7630006000011234567890189',
      brand_color: '#3730a3',
      vat_franchise: false,
    })
    expect(seller.logo_sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(verifyQuoteVersion(v)).toBe(true)
  })
})
