import { CONTRACT_TYPES, TYPE_LABELS } from '../../domain/contracts/contract'
import { REVENUE_PERIODS, revenueSummary, type RevenueFigures, type RevenueFilter, type RevenueSummary } from '../../domain/contracts/recurring-revenue'
import { addMonths, parisDay } from '../../domain/shared/paris-time'
import type { ContractType } from '../../db/schema'
import { revenueFiguresFromClickHouse } from '../../projections/queries/recurring-revenue'
import type { Runtime } from '../../runtime/runtime'
import type { Auth } from './auth.server'
import { isUuid } from './forms.server'

// The recurring-revenue dashboard (/contracts/revenue) and its widget: the filter from
// the URL narrowed to what the viewer may see, and the figures from ClickHouse.
//
// Whose contracts count: admin and finance everyone's (unowned ones included); a manager
// their team's, a commercial their own (as the sales dashboards count deals). A contract
// counts with its current owner and type.

type Option = { id: string; name: string }

export type RevenueView = { team: string; owner: string; type: ContractType | ''; months: number; from: string; to: string }

export async function revenueFilterFor(auth: Auth, url: URL) {
  const p = url.searchParams
  const a = auth.actor
  const [teams, users] = await Promise.all([
    auth.tenant.selectFrom('teams').select(['teams.id', 'teams.name']).orderBy('teams.name').execute(),
    auth.tenant
      .selectFrom('users')
      .select(['users.id', 'users.full_name as name', 'users.team_id', 'users.active', 'users.role'])
      .orderBy('users.full_name')
      .execute(),
  ])
  const reach =
    a.role === 'admin' || a.role === 'finance'
      ? users
      : a.role === 'manager'
        ? users.filter((u) => u.id === a.id || (!!a.teamId && u.team_id === a.teamId))
        : users.filter((u) => u.id === a.id)
  const teamChoices: Option[] = a.role === 'admin' || a.role === 'finance' ? teams : a.role === 'manager' ? teams.filter((t) => t.id === a.teamId) : []
  const ownerChoices: Option[] = reach.filter((u) => u.active && u.role !== 'finance').map((u) => ({ id: u.id, name: u.name }))

  const team = teamChoices.find((t) => t.id === p.get('team') && isUuid(p.get('team'))) ?? null
  const owner = reach.find((u) => u.id === p.get('owner') && isUuid(p.get('owner')) && (!team || u.team_id === team.id)) ?? null
  const typeParam = p.get('type') ?? ''
  const type = (CONTRACT_TYPES as string[]).includes(typeParam) ? (typeParam as ContractType) : null
  const monthsParam = Number(p.get('mois'))
  const months = (REVENUE_PERIODS as readonly number[]).includes(monthsParam) ? monthsParam : 12

  let ownerIds: string[] | null
  if (owner) ownerIds = [owner.id]
  else if (team) ownerIds = users.filter((u) => u.team_id === team.id).map((u) => u.id)
  else ownerIds = a.role === 'admin' || a.role === 'finance' ? null : reach.map((u) => u.id)

  const to = `${parisDay(auth.now()).slice(0, 7)}-01`
  const from = addMonths(to, -(months - 1))
  const filter: RevenueFilter = { workspaceId: a.workspaceId, from, to, ownerIds, type }
  const view: RevenueView = { team: team?.id ?? '', owner: owner?.id ?? '', type: type ?? '', months, from, to }
  return {
    filter,
    view,
    choices: { teams: teamChoices, owners: ownerChoices, types: CONTRACT_TYPES.map((k) => ({ id: k, name: TYPE_LABELS[k] })) },
  }
}

export type RevenueData = RevenueFigures & { summary: RevenueSummary }

export async function loadRevenue(rt: Runtime, filter: RevenueFilter): Promise<RevenueData> {
  const figures = await revenueFiguresFromClickHouse(rt.ch, filter)
  return { ...figures, summary: revenueSummary(figures) }
}
