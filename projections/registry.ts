import { CONTRACT_STREAM } from '../domain/contracts/contract.js'
import { ACTIVITY_STREAM } from '../domain/crm/activity.js'
import { DEAL_STREAM } from '../domain/crm/deal.js'
import { ORGANISATION_STREAM } from '../domain/crm/organisation.js'
import { GOAL_STREAM } from '../domain/dashboards/goal.js'
import { INVOICE_STREAM } from '../domain/invoicing/invoice.js'
import {
  activityFromClickHouse,
  ACTIVITIES_TABLE,
  ACTIVITY_TIMELINE_TABLE,
  activityTimelineRows,
  type ActivityRow,
  foldActivity,
} from './activities.projection.js'
import { DEAL_CREATED_TABLE, dealCreatedRows } from './deal-created.projection.js'
import {
  FINANCE_INVOICES_TABLE,
  FINANCE_PAYMENTS_TABLE,
  financeInvoiceFromClickHouse,
  financePaymentRows,
  foldFinanceInvoice,
  type FinanceInvoiceRow,
} from './finance.projection.js'
import { DEAL_FACTS_TABLE, dealFactFromClickHouse, type DealFactRow, foldDealFacts } from './deal-facts.projection.js'
import { dealRollups } from './deal-rollups.js'
import { DEAL_STAGE_HISTORY_TABLE, dealStageHistoryRows } from './deal-stage-history.projection.js'
import { DEAL_TIMELINE_TABLE, dealTimelineRows } from './deal-timeline.projection.js'
import { type DealCurrentRow, dealRowFromClickHouse, DEALS_CURRENT_TABLE, foldDeal } from './deals-current.projection.js'
import { foldGoal, goalFromClickHouse, type GoalRow, GOALS_TABLE } from './goals.projection.js'
import {
  foldOrganisation,
  type OrganisationCurrentRow,
  organisationRowFromClickHouse,
  ORGANISATIONS_CURRENT_TABLE,
} from './organisations-current.projection.js'
import { CONTRACT_MRR_TABLE, contractMrrFromClickHouse, type ContractMrrRow, foldContractMrr } from './contract-mrr.projection.js'
import type { Projection } from './projection.js'
import { streamFoldProjection } from './stream-fold.js'
import { foldTeam, teamFromClickHouse, type TeamRow, TEAMS_TABLE } from './teams.projection.js'
import { foldUserTeam, userTeamFromClickHouse, type UserTeamRow, USERS_TEAMS_TABLE } from './users-teams.projection.js'

// The deal read models share one fold (the stage history needs the deal's owner and
// the time it entered its stage), hence one checkpoint: they are rebuilt together.
export const dealsProjection = streamFoldProjection<DealCurrentRow>({
  name: 'deals',
  streamType: DEAL_STREAM,
  stateTable: DEALS_CURRENT_TABLE,
  idColumn: 'deal_id',
  fold: foldDeal,
  fromClickHouse: dealRowFromClickHouse,
  facts: [{ table: DEAL_STAGE_HISTORY_TABLE, rows: dealStageHistoryRows }],
})

export const organisationsProjection = streamFoldProjection<OrganisationCurrentRow>({
  name: 'organisations',
  streamType: ORGANISATION_STREAM,
  stateTable: ORGANISATIONS_CURRENT_TABLE,
  idColumn: 'organisation_id',
  fold: foldOrganisation,
  fromClickHouse: organisationRowFromClickHouse,
})

// The dashboards' deal tables: their own fold and checkpoint, so they rebuild (and, on
// an existing store, build for the first time) without touching deals_current.
export const dealAnalyticsProjection = streamFoldProjection<DealFactRow>({
  name: 'deal-analytics',
  streamType: DEAL_STREAM,
  stateTable: DEAL_FACTS_TABLE,
  idColumn: 'deal_id',
  fold: foldDealFacts,
  fromClickHouse: dealFactFromClickHouse,
  facts: [
    { table: DEAL_TIMELINE_TABLE, rows: dealTimelineRows },
    { table: DEAL_CREATED_TABLE, rows: dealCreatedRows },
  ],
  rollups: dealRollups,
})

export const activitiesProjection = streamFoldProjection<ActivityRow>({
  name: 'activities',
  streamType: ACTIVITY_STREAM,
  stateTable: ACTIVITIES_TABLE,
  idColumn: 'activity_id',
  fold: foldActivity,
  fromClickHouse: activityFromClickHouse,
  facts: [{ table: ACTIVITY_TIMELINE_TABLE, rows: activityTimelineRows }],
})

export const goalsProjection = streamFoldProjection<GoalRow>({
  name: 'goals',
  streamType: GOAL_STREAM,
  stateTable: GOALS_TABLE,
  idColumn: 'goal_id',
  fold: foldGoal,
  fromClickHouse: goalFromClickHouse,
})

export const usersProjection = streamFoldProjection<UserTeamRow>({
  name: 'users',
  streamType: 'user',
  stateTable: USERS_TEAMS_TABLE,
  idColumn: 'user_id',
  fold: foldUserTeam,
  fromClickHouse: userTeamFromClickHouse,
})

export const teamsProjection = streamFoldProjection<TeamRow>({
  name: 'teams',
  streamType: 'team',
  stateTable: TEAMS_TABLE,
  idColumn: 'team_id',
  fold: foldTeam,
  fromClickHouse: teamFromClickHouse,
})

// The finance dashboard's invoices and payments: their own checkpoint, rebuilt apart.
export const financeProjection = streamFoldProjection<FinanceInvoiceRow>({
  name: 'finance',
  streamType: INVOICE_STREAM,
  stateTable: FINANCE_INVOICES_TABLE,
  idColumn: 'invoice_id',
  fold: foldFinanceInvoice,
  fromClickHouse: financeInvoiceFromClickHouse,
  facts: [{ table: FINANCE_PAYMENTS_TABLE, rows: financePaymentRows }],
})

// Recurring revenue (issue 18): each contract's MRR timeline, its own checkpoint.
export const contractMrrProjection = streamFoldProjection<ContractMrrRow>({
  name: 'contract-mrr',
  streamType: CONTRACT_STREAM,
  stateTable: CONTRACT_MRR_TABLE,
  idColumn: 'contract_id',
  fold: foldContractMrr,
  fromClickHouse: contractMrrFromClickHouse,
})

/** Every projection the projector runs, in the order it applies them to a batch. */
export const projections: Projection[] = [
  dealsProjection,
  organisationsProjection,
  dealAnalyticsProjection,
  activitiesProjection,
  goalsProjection,
  usersProjection,
  teamsProjection,
  financeProjection,
  contractMrrProjection,
]

/** Their checkpoint names (for lag reports in processes that do not project). */
export const projectionNames = projections.map((p) => p.name)
