import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand, deleteDealCommand, updateDealCommand } from '../../domain/crm/crm.commands.js'
import type { DealFields } from '../../domain/crm/deal.js'
import type { OrganisationFields } from '../../domain/crm/organisation.js'
import type { CommandContext } from '../../domain/shared/events.js'

// Test data for the projection tests, written through the real domain commands.

export const organisationFields = (name = 'Boulangerie Martin'): OrganisationFields => ({
  name,
  siren: null,
  siret: null,
  vat_number: null,
  address: null,
  postal_code: null,
  city: 'Lyon',
  sector: 'Commerce',
  size: null,
  status: 'prospect',
  owner_id: null,
})

export const dealFields = (organisationId: string, amountCents: number, ownerId: string | null = null): DealFields => ({
  title: `Affaire ${amountCents}`,
  organisation_id: organisationId,
  amount_cents: amountCents,
  expected_close_date: null,
  owner_id: ownerId,
  category: 'Équipement',
  source: 'Salon',
  region: 'Auvergne-Rhône-Alpes',
})

const PATHS = [
  ['QUALIFICATION'],
  ['QUALIFICATION', 'PROPOSITION'],
  ['QUALIFICATION', 'PROPOSITION', 'NEGOCIATION', 'SIGNE'],
  ['PERDU'],
  [],
  ['QUALIFICATION', 'SIGNE', 'NEGOCIATION'],
]

/**
 * An organisation and `n` deals walked through varied stage paths (won, lost,
 * reopened, one amount edited, one deleted): every deal event type appears.
 */
export async function givenDeals(db: Db, ctx: () => CommandContext, n: number, ownerId: string | null = null) {
  const organisationId = randomUUID()
  await createOrganisationCommand(db, ctx(), { id: organisationId, fields: organisationFields() })
  const dealIds: string[] = []
  for (let i = 0; i < n; i++) {
    const id = randomUUID()
    dealIds.push(id)
    const fields = dealFields(organisationId, 100_000 + i * 12_345, ownerId)
    await createDealCommand(db, ctx(), { id, fields, stage: 'PROSPECT' })
    for (const to of PATHS[i % PATHS.length]) {
      await changeDealStageCommand(db, ctx(), { id, to, lostReason: to === 'PERDU' ? 'Prix trop élevé' : null })
    }
    if (i % 7 === 3) {
      const { version } = await db.selectFrom('deals').select('version').where('id', '=', id).executeTakeFirstOrThrow()
      await updateDealCommand(db, ctx(), { id, expectedVersion: version, fields: { ...fields, amount_cents: fields.amount_cents + 99 } })
    }
    if (i % 11 === 10) await deleteDealCommand(db, ctx(), { id })
  }
  return { organisationId, dealIds }
}

/** One more step for every live deal (a stage change, and an amount edit for some): events on streams already projected. */
export async function advanceDeals(db: Db, ctx: () => CommandContext, dealIds: string[]) {
  const deals = await db.selectFrom('deals').selectAll().where('id', 'in', dealIds).where('deleted_at', 'is', null).orderBy('created_at').execute()
  for (const [i, d] of deals.entries()) {
    await changeDealStageCommand(db, ctx(), { id: d.id, to: d.stage === 'NEGOCIATION' ? 'SIGNE' : 'NEGOCIATION' })
    if (i % 3 === 0) {
      await updateDealCommand(db, ctx(), {
        id: d.id,
        expectedVersion: d.version + 1,
        fields: {
          title: d.title,
          organisation_id: d.organisation_id,
          amount_cents: d.amount_cents + 1_000,
          expected_close_date: d.expected_close_date,
          owner_id: d.owner_id,
          category: d.category,
          source: d.source,
          region: d.region,
        },
      })
    }
  }
}

/** The figures `dealTotals` must match, straight from the Postgres write model. */
export async function postgresDealTotals(db: Db, workspaceId: string) {
  // Won = closed without a lost reason (a lost stage requires one), as in ClickHouse.
  const r = await sql<Record<string, string | number>>`
    select count(*) as deals,
      count(*) filter (where closed_at is null) as open_deals,
      coalesce(sum(amount_cents) filter (where closed_at is null), 0) as open_amount_cents,
      count(*) filter (where closed_at is not null and lost_reason is null) as won_deals,
      coalesce(sum(amount_cents) filter (where closed_at is not null and lost_reason is null), 0) as won_amount_cents
    from deals where workspace_id = ${workspaceId} and deleted_at is null`.execute(db)
  const row = r.rows[0]
  return {
    deals: Number(row.deals),
    open_deals: Number(row.open_deals),
    open_amount_cents: Number(row.open_amount_cents),
    won_deals: Number(row.won_deals),
    won_amount_cents: Number(row.won_amount_cents),
  }
}

/** Open pipeline by stage from Postgres, with the same rounding as the ClickHouse query. */
export async function postgresPipeline(db: Db, workspaceId: string) {
  // div(): sum() of bigint is numeric, and casting a numeric quotient would round it a second time.
  const r = await sql<{ stage: string; deals: number; amount_cents: number; weighted_cents: number }>`
    select stage, count(*)::int as deals, sum(amount_cents)::bigint as amount_cents,
      div(sum(amount_cents * probability) + 50, 100)::bigint as weighted_cents
    from deals where workspace_id = ${workspaceId} and deleted_at is null and closed_at is null
    group by stage order by min(probability), stage`.execute(db)
  return r.rows.map((x) => ({ stage: x.stage, deals: Number(x.deals), amount_cents: Number(x.amount_cents), weighted_cents: Number(x.weighted_cents) }))
}

/**
 * One pipeline's open figures by stage from Postgres, weighted by the stage's configured
 * probability (pipeline_stages), with the same rounding as the ClickHouse queries.
 */
export async function postgresConfiguredPipeline(db: Db, workspaceId: string, pipelineId: string) {
  const r = await sql<{ stage: string; deals: number; amount_cents: number; weighted_cents: number }>`
    select d.stage, count(*)::int as deals, sum(d.amount_cents)::bigint as amount_cents,
      div(sum(d.amount_cents * s.probability) + 50, 100)::bigint as weighted_cents
    from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
    where d.workspace_id = ${workspaceId} and s.pipeline_id = ${pipelineId} and d.deleted_at is null and d.closed_at is null
    group by d.stage order by d.stage`.execute(db)
  return r.rows.map((x) => ({ stage: x.stage, deals: Number(x.deals), amount_cents: Number(x.amount_cents), weighted_cents: Number(x.weighted_cents) }))
}
