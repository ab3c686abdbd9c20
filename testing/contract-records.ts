import { randomUUID } from 'node:crypto'
import type { Db } from '../db/kysely.js'
import { createContractCommand } from '../domain/contracts/contract.commands.js'
import type { ContractFields } from '../domain/contracts/contract.js'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import type { CommandContext } from '../domain/shared/events.js'
import { givenOrganisation } from './crm-records.js'

// Contracts for tests, written through the real commands.

export const contractFields = (organisationId: string, over: Partial<ContractFields> = {}): ContractFields => ({
  title: 'Maintenance du parc',
  organisation_id: organisationId,
  deal_id: null,
  quote_id: null,
  contact_id: null,
  owner_id: null,
  type: 'maintenance',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  unit_amount_cents: 250_00,
  quantity: 1,
  amount_period: 'mensuel',
  billing_frequency: 'mensuel',
  payment_terms_days: 30,
  tacit_renewal: false,
  renewal_months: 12,
  notice_months: 0,
  indexation_bp: null,
  notes: null,
  ...over,
})

/** An organisation with a contact (e-mail `claire-…@martin.fr`) and an active contract. */
export async function givenContract(db: Db, ctx: CommandContext, over: Partial<ContractFields> = {}, opts: { activate?: boolean } = {}) {
  const organisationId = await givenOrganisation(db, ctx, { ownerId: over.owner_id ?? null })
  const contactId = randomUUID()
  const email = `claire-${contactId.slice(0, 6)}@martin.fr`
  await createContactCommand(db, ctx, {
    id: contactId,
    fields: {
      civility: 'Mme',
      first_name: 'Claire',
      last_name: 'Martin',
      job_title: 'Gérante',
      emails: [email],
      phones: [],
      organisation_id: organisationId,
      owner_id: over.owner_id ?? null,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
    },
  })
  const id = randomUUID()
  await createContractCommand(db, ctx, { id, fields: contractFields(organisationId, { contact_id: contactId, ...over }), activate: opts.activate ?? true })
  return { id, organisationId, contactId, email }
}
