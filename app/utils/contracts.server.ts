import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../db/schema'
import { CONTRACT_PERIODS, CONTRACT_STATUSES, CONTRACT_TYPES, type ContractFields } from '../../domain/contracts/contract'
import { canReadRecord, canWriteRecord, type Actor } from '../../domain/identity/roles'
import { parseEurosToCents, centsToInput } from '../../domain/shared/money'
import type { Contract } from '../../db/schema'
import type { Auth } from './auth.server'
import { field } from './form-schema.server'
import { isUuid } from './forms.server'
import { assignableOwners, visibleTo } from './visibility.server'

// Contracts on screen: who sees which (as CRM records: by owner and team), the form's
// schema, choices and values, and the contract read for a page.

/** The query form of canReadRecord for contracts (no "shared" flag on a contract). */
export function contractVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'contracts'>): Expression<SqlBool> => {
    switch (actor.role) {
      case 'admin':
      case 'finance':
        return sql<SqlBool>`true`
      case 'commercial':
        return eb.or([eb('contracts.owner_id', 'is', null), eb('contracts.owner_id', '=', actor.id)])
      case 'manager': {
        const own = [eb('contracts.owner_id', 'is', null), eb('contracts.owner_id', '=', actor.id)]
        if (!actor.teamId) return eb.or(own)
        const team = eb.selectFrom('users').select('users.id').where('users.workspace_id', '=', actor.workspaceId).where('users.team_id', '=', actor.teamId)
        return eb.or([...own, eb('contracts.owner_id', 'in', team)])
      }
    }
  }
}

/** Creating contracts: everyone but finance (who reads them all). */
export const canCreateContracts = (actor: Actor) => actor.role !== 'finance'

export async function findVisibleContract(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant
    .selectFrom('contracts')
    .innerJoin('organisations', 'organisations.id', 'contracts.organisation_id')
    .leftJoin('users as owner', 'owner.id', 'contracts.owner_id')
    .leftJoin('contacts', 'contacts.id', 'contracts.contact_id')
    .selectAll('contracts')
    .select(['organisations.name as organisation_name', 'owner.full_name as owner_name', 'owner.team_id as owner_team_id'])
    .select(sql<string | null>`nullif(concat_ws(' ', contacts.first_name, contacts.last_name), '')`.as('contact_name'))
    .where('contracts.id', '=', id)
    .where(contractVisibleTo(auth.actor))
    .executeTakeFirst()
  if (!row) return null
  const record = { owner_id: row.owner_id, ownerTeamId: row.owner_team_id }
  return { ...row, canRead: canReadRecord(auth.actor, record), canWrite: canWriteRecord(auth.actor, record) }
}

export type ContractFormOptions = {
  owners: { id: string; name: string }[]
  organisations: { id: string; name: string }[]
  contacts: { id: string; name: string; organisation_id: string | null }[]
  deals: { id: string; name: string }[]
}

export async function contractFormOptions(auth: Auth): Promise<ContractFormOptions> {
  const [owners, organisations, contacts, deals] = await Promise.all([
    assignableOwners(auth.actor, auth.tenant),
    auth.tenant
      .selectFrom('organisations')
      .select(['organisations.id', 'organisations.name'])
      .where('organisations.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'organisations'))
      .orderBy('organisations.name')
      .limit(1000)
      .execute(),
    auth.tenant
      .selectFrom('contacts')
      .select(['contacts.id', 'contacts.organisation_id', sql<string>`contacts.first_name || ' ' || contacts.last_name`.as('name')])
      .where('contacts.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'contacts'))
      .orderBy('contacts.last_name')
      .limit(1000)
      .execute(),
    auth.tenant
      .selectFrom('deals')
      .select(['deals.id', 'deals.title as name'])
      .where('deals.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'deals'))
      .orderBy('deals.title')
      .limit(1000)
      .execute(),
  ])
  return { owners, organisations, contacts, deals }
}

const wholeNumber = (message: 'form.invalid' | 'contract.quantity.invalid' = 'form.invalid') =>
  z
    .string()
    .trim()
    .default('')
    .refine((v) => /^-?\d{1,9}$/.test(v), { message })
    .transform(Number)

/** Euros as typed in France ("1 200,50") → cents, or the domain's amount error. */
const euros = () =>
  z
    .string()
    .trim()
    .default('')
    .transform((v, ctx) => {
      const p = parseEurosToCents(v)
      if (!p.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'amount.invalid' })
        return z.NEVER
      }
      return p.cents
    })

/** "2,5" (percent) → 250 basis points; empty → null. */
const percentBp = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      const n = Number(v.replace(',', '.').replace(/\s|%/g, ''))
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'contract.indexation.range' })
        return z.NEVER
      }
      return Math.round(n * 100)
    })

export const contractFormSchema = z.object({
  title: field.text(),
  organisation_id: field.optionalUuid(),
  deal_id: field.optionalUuid(),
  quote_id: field.optionalUuid(),
  contact_id: field.optionalUuid(),
  owner_id: field.optionalUuid(),
  type: field.oneOf(CONTRACT_TYPES, 'contract.type.unknown'),
  start_date: field.text(),
  end_date: field.text(),
  amount: euros(),
  quantity: wholeNumber('contract.quantity.invalid'),
  amount_period: field.oneOf(CONTRACT_PERIODS, 'contract.period.unknown'),
  billing_frequency: field.oneOf(CONTRACT_PERIODS, 'contract.period.unknown'),
  payment_terms_days: wholeNumber(),
  tacit_renewal: field.checkbox(),
  renewal_months: wholeNumber(),
  notice_months: wholeNumber(),
  indexation: percentBp(),
  notes: field.optionalText(),
})

export function readContractFields(v: z.output<typeof contractFormSchema>): ContractFields {
  return {
    title: v.title,
    organisation_id: v.organisation_id ?? '',
    deal_id: v.deal_id,
    quote_id: v.quote_id,
    contact_id: v.contact_id,
    owner_id: v.owner_id,
    type: v.type,
    start_date: v.start_date,
    end_date: v.end_date,
    unit_amount_cents: v.amount,
    quantity: v.quantity,
    amount_period: v.amount_period,
    billing_frequency: v.billing_frequency,
    payment_terms_days: v.payment_terms_days,
    tacit_renewal: v.tacit_renewal,
    renewal_months: v.renewal_months,
    notice_months: v.notice_months,
    indexation_bp: v.indexation,
    notes: v.notes,
  }
}

/** The form's values for an existing contract. */
export function contractFormValues(c: Contract): Record<string, string> {
  return {
    title: c.title,
    organisation_id: c.organisation_id,
    deal_id: c.deal_id ?? '',
    quote_id: c.quote_id ?? '',
    contact_id: c.contact_id ?? '',
    owner_id: c.owner_id ?? '',
    type: c.type,
    start_date: c.start_date,
    end_date: c.end_date,
    amount: centsToInput(c.unit_amount_cents),
    quantity: String(c.quantity),
    amount_period: c.amount_period,
    billing_frequency: c.billing_frequency,
    payment_terms_days: String(c.payment_terms_days),
    tacit_renewal: c.tacit_renewal ? 'on' : '',
    renewal_months: String(c.renewal_months),
    notice_months: String(c.notice_months),
    indexation: c.indexation_bp === null ? '' : String(c.indexation_bp / 100).replace('.', ','),
    notes: c.notes ?? '',
  }
}

export const CONTRACT_STATUS_FILTERS = CONTRACT_STATUSES
