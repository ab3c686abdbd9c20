import { randomUUID } from 'node:crypto'
import type { Db } from '../db/kysely.js'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import { createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { createTeam, createUser, createWorkspace } from '../domain/identity/identity.commands.js'
import { createInvoiceDraftCommand, defaultInvoiceFields } from '../domain/invoicing/invoice.commands.js'
import { defaultCompanyFields, saveCompanySettingsCommand } from '../domain/sales/company-settings.js'
import type { QuoteLine } from '../domain/sales/quote.js'
import type { CommandContext } from '../domain/shared/events.js'

// A throwaway workspace for the invoicing bench and sample: a seller with every legal
// mention, one customer with SIREN and address, and drafts built through the commands.

export const line = (over: Partial<QuoteLine> = {}): QuoteLine => ({
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

export async function invoicingWorkspace(db: Db) {
  const workspaceId = await createWorkspace(db, { name: 'Menuiseries Dupont', slug: `bench-${randomUUID().slice(0, 8)}` })
  const teamId = await createTeam(db, { workspaceId, name: 'Finance' })
  const finance = await createUser(db, {
    workspaceId,
    email: `finance-${randomUUID().slice(0, 8)}@exemple.fr`,
    fullName: 'Fanny Finance',
    password: 'motdepasse-bench',
    role: 'finance',
    teamId,
  })
  const ctx = (): CommandContext => ({ workspaceId, actorId: finance, now: new Date(), source: 'seed' })
  await saveCompanySettingsCommand(db, ctx(), {
    expectedVersion: 0,
    fields: {
      ...defaultCompanyFields('Menuiseries Dupont'),
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
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP',
    },
  })
  const orgId = randomUUID()
  await createOrganisationCommand(db, ctx(), {
    id: orgId,
    fields: {
      name: 'Boulangerie Martin',
      siren: '404833048',
      siret: null,
      vat_number: 'FR83404833048',
      address: '8 place Bellecour',
      postal_code: '69002',
      city: 'Lyon',
      sector: null,
      size: null,
      status: 'client',
      owner_id: null,
    },
  })
  const contactId = randomUUID()
  await createContactCommand(db, ctx(), {
    id: contactId,
    fields: {
      civility: 'Mme',
      first_name: 'Claire',
      last_name: 'Martin',
      job_title: 'Gérante',
      emails: ['claire@martin.example'],
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
  const fields = { ...(await defaultInvoiceFields(db, workspaceId, orgId)), contact_id: contactId }
  const draft = async (lines: QuoteLine[] = [line()], globalDiscount: QuoteLine['discount'] = null) => {
    const id = randomUUID()
    await createInvoiceDraftCommand(db, ctx(), { id, fields, lines, globalDiscount })
    return id
  }
  return { workspaceId, orgId, contactId, ctx, draft }
}
