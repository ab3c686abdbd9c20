import { randomUUID } from 'node:crypto'
import type { Db } from '../db/kysely.js'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import { createDealCommand, createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { defaultCompanyFields, saveCompanySettingsCommand, type CompanyFields } from '../domain/sales/company-settings.js'
import type { QuoteLine } from '../domain/sales/quote.js'
import { createQuoteCommand } from '../domain/sales/quote.commands.js'
import type { Discount } from '../domain/sales/quote-totals.js'
import { givenWorkspace } from './fixtures.js'

// Quote fixtures for the quote-document tests: a workspace with its legal settings, a
// customer (organisation, contact, deal) and quotes built through the real commands.

export const TEST_COMPANY: CompanyFields = {
  ...defaultCompanyFields('x'),
  company_name: 'Menuiseries Dupont',
  legal_form: 'SARL',
  share_capital_cents: 750_000,
  siren: '732829320',
  siret: '73282932000074',
  rcs_city: 'Lyon',
  vat_number: 'FR44732829320',
  address: '3 rue des Lilas',
  postal_code: '69003',
  city: 'Lyon',
  email: 'contact@dupont.fr',
  phone: '04 78 00 00 00',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPP',
  brand_color: '#0f5132',
}

export const quoteLine = (over: Partial<QuoteLine> = {}): QuoteLine => ({
  product_id: null,
  code: null,
  description: 'Journée de conseil',
  unit: 'jour',
  quantity: '3',
  unit_price_cents: 85_000,
  discount: null,
  vat_rate: 2000,
  vat_exemption: null,
  ...over,
})

export async function givenQuoteCustomer(db: Db, opts: { company?: boolean; dealStage?: string | null } = {}) {
  const w = await givenWorkspace(db, 'Menuiseries Dupont')
  if (opts.company ?? true) await saveCompanySettingsCommand(db, w.ctx(), { expectedVersion: 0, fields: TEST_COMPANY })
  const c = () => w.ctx(w.users.commercial)
  const orgId = randomUUID()
  await createOrganisationCommand(db, c(), {
    id: orgId,
    fields: {
      name: 'Boulangerie Martin',
      siren: '404833048',
      siret: null,
      vat_number: null,
      address: '8 place Bellecour',
      postal_code: '69002',
      city: 'Lyon',
      sector: null,
      size: null,
      status: 'client',
      owner_id: w.users.commercial,
    },
  })
  const contactId = randomUUID()
  const email = `claire-${randomUUID().slice(0, 6)}@martin.fr`
  await createContactCommand(db, c(), {
    id: contactId,
    fields: {
      civility: 'Mme',
      first_name: 'Claire',
      last_name: 'Martin',
      job_title: 'Gérante',
      emails: [email],
      phones: [],
      organisation_id: orgId,
      owner_id: w.users.commercial,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
    },
  })
  let dealId: string | null = null
  if (opts.dealStage !== null) {
    dealId = randomUUID()
    await createDealCommand(db, c(), {
      id: dealId,
      stage: opts.dealStage ?? 'PROPOSITION',
      fields: {
        title: 'Agencement boutique',
        organisation_id: orgId,
        amount_cents: 1_000_000,
        expected_close_date: null,
        owner_id: w.users.commercial,
        category: null,
        source: null,
        region: null,
      },
    })
  }
  async function quote(
    lines: QuoteLine[] = [quoteLine()],
    extra: { globalDiscount?: Discount | null; title?: string; validityDays?: number; deal?: boolean } = {},
  ) {
    const id = randomUUID()
    await createQuoteCommand(db, c(), {
      id,
      lines,
      globalDiscount: extra.globalDiscount ?? null,
      fields: {
        organisation_id: orgId,
        contact_id: contactId,
        deal_id: extra.deal === false ? null : dealId,
        title: extra.title ?? 'Agencement de la boutique',
        validity_days: extra.validityDays ?? 30,
        payment_terms: 'Acompte de 30 % à la commande, solde à réception.',
        notes: null,
      },
    })
    return id
  }
  return { ...w, orgId, contactId, dealId, email, quote }
}
