import { sql } from 'kysely'
import { CONTRACT_STATUSES, CONTRACT_TYPES } from '../../domain/contracts/contract'
import type { ContractStatus, ContractType } from '../../db/schema'
import type { Auth } from './auth.server'
import { contractVisibleTo } from './contracts.server'
import { isUuid } from './forms.server'

// The contracts list and the renewals list: filters team / owner / type / status, what
// the user may see, MRR per contract (current terms, the rule of domain/contracts/mrr.ts).

export type ContractFilters = { team: string; owner: string; type: ContractType | ''; status: ContractStatus | '' }

export function readFilters(url: URL): ContractFilters {
  const p = url.searchParams
  const type = p.get('type') ?? ''
  const status = p.get('status') ?? ''
  return {
    team: isUuid(p.get('team')) ? p.get('team')! : '',
    owner: isUuid(p.get('owner')) ? p.get('owner')! : '',
    type: (CONTRACT_TYPES as string[]).includes(type) ? (type as ContractType) : '',
    status: (CONTRACT_STATUSES as string[]).includes(status) ? (status as ContractStatus) : '',
  }
}

/** Monthly cents at current terms, half-up (as monthlyCents), computed in SQL. */
const mrrSql = sql<number>`(case contracts.amount_period when 'mensuel' then contracts.unit_amount_cents * contracts.quantity
  when 'trimestriel' then floor((contracts.unit_amount_cents * contracts.quantity * 2 + 3) / 6.0)
  else floor((contracts.unit_amount_cents * contracts.quantity * 2 + 12) / 24.0) end)::bigint`

export function contractsQuery(auth: Auth, f: ContractFilters) {
  let q = auth.tenant
    .selectFrom('contracts')
    .innerJoin('organisations', 'organisations.id', 'contracts.organisation_id')
    .leftJoin('users as owner', 'owner.id', 'contracts.owner_id')
    .select([
      'contracts.id',
      'contracts.title',
      'contracts.type',
      'contracts.status',
      'contracts.start_date',
      'contracts.end_date',
      'contracts.tacit_renewal',
      'contracts.notice_months',
      'organisations.name as organisation_name',
      'owner.full_name as owner_name',
    ])
    .select(mrrSql.as('mrr_cents'))
    .where(contractVisibleTo(auth.actor))
  if (f.owner) q = q.where('contracts.owner_id', '=', f.owner)
  if (f.team) q = q.where('owner.team_id', '=', f.team)
  if (f.type) q = q.where('contracts.type', '=', f.type)
  if (f.status) q = q.where('contracts.status', '=', f.status)
  return q
}

export async function filterChoices(auth: Auth) {
  const [teams, owners] = await Promise.all([
    auth.tenant.selectFrom('teams').select(['teams.id', 'teams.name']).orderBy('teams.name').execute(),
    auth.tenant.selectFrom('users').select(['users.id', 'users.full_name as name']).where('users.active', '=', true).orderBy('users.full_name').execute(),
  ])
  return { teams, owners }
}
