import { DEAL_STREAM } from '../domain/crm/deal.js'
import { ORGANISATION_STREAM } from '../domain/crm/organisation.js'
import { DEAL_STAGE_HISTORY_TABLE, dealStageHistoryRows } from './deal-stage-history.projection.js'
import { type DealCurrentRow, dealRowFromClickHouse, DEALS_CURRENT_TABLE, foldDeal } from './deals-current.projection.js'
import { foldOrganisation, type OrganisationCurrentRow, organisationRowFromClickHouse, ORGANISATIONS_CURRENT_TABLE } from './organisations-current.projection.js'
import type { Projection } from './projection.js'
import { streamFoldProjection } from './stream-fold.js'

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

/** Every projection the projector runs, in the order it applies them to a batch. */
export const projections: Projection[] = [dealsProjection, organisationsProjection]

/** Their checkpoint names (for lag reports in processes that do not project). */
export const projectionNames = projections.map((p) => p.name)
