import { evolveDeal, type DealEvent, type DealFields, type DealState } from '../domain/crm/deal.js'
import { changeDealStage, createDeal, updateDeal } from '../domain/crm/deal.decide.js'
import type { Stage } from '../domain/crm/pipeline.js'
import type { CommandContext } from '../domain/shared/events.js'
import {
  CATEGORIES,
  CATEGORY_MEDIAN_EUROS,
  CATEGORY_WIN_FACTOR,
  DEAL_TITLES,
  LOST_REASONS_EARLY,
  LOST_REASONS_LATE,
  SEASON_VOLUME,
  SEASON_WIN_FACTOR,
  SIZE_AMOUNT_FACTOR,
  SIZE_WIN_FACTOR,
  SOURCE_WIN_FACTOR,
  SOURCES,
} from './catalogue.js'
import type { TeamKey } from './french-places.js'
import type { OrganisationPlan } from './demo-organisations.js'
import { streamRng } from './prng.js'
import { DAY, HOUR, isoDate, officeHours } from './seed-time.js'
import type { SeedStream } from './seed-stream.js'

export type Seller = { id: string; winRate: number; weight: number }

export type DealWorld = {
  seed: number
  workspaceId: string
  asOf: number
  stages: Stage[]
  organisations: readonly OrganisationPlan[]
  sellers: Map<string, Seller>
  sellersByTeam: Record<TeamKey, readonly Seller[]>
}

export type GeneratedDeal = SeedStream<DealState, DealEvent> & { organisationIndex: number; wonAt: number | null }

const OPEN_PATH = ['PROSPECT', 'QUALIFICATION', 'PROPOSITION', 'NEGOCIATION'] as const
const MEAN_DAYS_IN_STAGE = [9, 14, 18, 16]
const HISTORY = 1095 * DAY
const MIN_EUROS = 2_000
const MAX_EUROS = 250_000

/** Cumulative weights for picking an organisation in O(log n). */
export function organisationPicker(orgs: readonly OrganisationPlan[]): (u: number) => number {
  const cum = new Float64Array(orgs.length)
  let total = 0
  orgs.forEach((o, i) => {
    total += o.dealWeight
    cum[i] = total
  })
  return (u) => {
    const target = u * total
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cum[mid] > target) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

const roundEuros = (euros: number, step: number) => Math.round(euros / step) * step

/**
 * Deal number `index` of the demo, with its whole history: created at PROSPECT, moved
 * through the pipeline by its owner, then signed, lost (with a French reason), stalled
 * or still open at `asOf`. Each deal has its own random stream, so any deal can be
 * generated alone and always comes out the same.
 */
export function generateDeal(world: DealWorld, index: number, pickOrganisation: (u: number) => number): GeneratedDeal {
  const rng = streamRng(world.seed, 'deal', index)
  const id = rng.uuid()
  const organisationIndex = pickOrganisation(rng.next())
  const org = world.organisations[organisationIndex]
  const accountOwner = org.fields.owner_id ? world.sellers.get(org.fields.owner_id) : undefined
  const owner = accountOwner && rng.chance(0.85) ? accountOwner : rng.weighted(world.sellersByTeam[org.team].map((s) => [s, s.weight] as const))
  const category = rng.weighted(CATEGORIES)
  const source = rng.weighted(SOURCES)

  // More deals lately (the team grew) and fewer in August.
  const from = Math.max(org.createdAt + HOUR, world.asOf - HISTORY)
  let createdAt = from
  for (let attempt = 0; attempt < 6; attempt++) {
    createdAt = from + (world.asOf - from) * Math.pow(rng.next(), 0.75)
    if (rng.next() * 1.15 < SEASON_VOLUME[new Date(createdAt).getUTCMonth()]) break
  }
  createdAt = Math.max(from, officeHours(createdAt, rng))
  if (createdAt >= world.asOf) createdAt = Math.max(from, world.asOf - 3 * DAY + 9 * HOUR)

  const median = CATEGORY_MEDIAN_EUROS[category] * SIZE_AMOUNT_FACTOR[org.size]
  const euros = Math.min(MAX_EUROS, Math.max(MIN_EUROS, roundEuros(median * Math.exp(0.65 * rng.normal()), 50)))
  // Bigger deals take longer at every stage.
  const pace = Math.min(2.2, Math.max(0.6, Math.pow(euros / 15_000, 0.25)))
  const entered = [createdAt]
  for (let k = 0; k < OPEN_PATH.length; k++) {
    entered.push(officeHours(entered[k] + DAY + rng.exponential(MEAN_DAYS_IN_STAGE[k] * pace * DAY), rng))
  }
  const closeAt = entered[OPEN_PATH.length]
  const winChance = Math.min(
    0.92,
    Math.max(
      0.03,
      owner.winRate *
        CATEGORY_WIN_FACTOR[category] *
        (SOURCE_WIN_FACTOR[source] ?? 1) *
        SIZE_WIN_FACTOR[org.size] *
        SEASON_WIN_FACTOR[new Date(closeAt).getUTCMonth()],
    ),
  )

  // Fate: stalled forever at some stage, signed, or lost at some stage.
  type Fate = { kind: 'stalled' | 'won' | 'lost'; at: number }
  const fate: Fate = rng.chance(0.04)
    ? { kind: 'stalled', at: rng.int(0, 3) }
    : rng.chance(winChance)
      ? { kind: 'won', at: OPEN_PATH.length }
      : {
          kind: 'lost',
          at: rng.weighted([
            [0, 25],
            [1, 30],
            [2, 25],
            [3, 20],
          ] as const),
        }
  const lostReason = rng.weighted(fate.at >= 2 ? LOST_REASONS_LATE : LOST_REASONS_EARLY)
  const discount = rng.chance(0.35) ? 0.03 + rng.next() * 0.12 : 0
  const plannedDays = (closeAt - createdAt) * (0.7 + rng.next() * 0.4)

  const fields: DealFields = {
    title: `${rng.pick(DEAL_TITLES[category])} – ${org.shortName}`,
    organisation_id: org.id,
    amount_cents: euros * 100,
    expected_close_date: isoDate(createdAt + plannedDays),
    owner_id: owner.id,
    category,
    source,
    region: org.region,
  }

  const deal: GeneratedDeal = { streamType: 'deal', streamId: id, state: null, events: [], organisationIndex, wonAt: null }
  const ctx = (now: Date): CommandContext => ({ workspaceId: world.workspaceId, actorId: owner.id, now, source: 'seed' })
  // Steps after asOf have not happened yet: the deal is still open.
  const apply = (at: number, decide: (s: DealState | null, c: CommandContext) => DealEvent[]): boolean => {
    if (at >= world.asOf) return false
    const now = new Date(at)
    for (const e of decide(deal.state, ctx(now))) {
      deal.state = evolveDeal(deal.state, e)
      deal.events.push({ event: e, at: now, actorId: owner.id })
    }
    return true
  }

  apply(createdAt, (s, c) => createDeal(s, { id, fields, stage: OPEN_PATH[0] }, world.stages, c))
  let going = true
  const lastOpen = fate.kind === 'won' ? OPEN_PATH.length - 1 : fate.at
  for (let k = 1; going && k <= lastOpen; k++) {
    going = apply(entered[k], (s, c) => changeDealStage(s, { to: OPEN_PATH[k] }, world.stages, c))
    // Negotiation often ends with a discount before signing or losing.
    if (going && k === 3 && discount > 0) {
      const cents = roundEuros(euros * (1 - discount), 50) * 100
      going = apply(entered[3] + (entered[4] - entered[3]) / 2, (s, c) => updateDeal(s, { fields: { ...fields, amount_cents: cents } }, c))
    }
  }
  if (going && fate.kind === 'won') {
    if (apply(closeAt, (s, c) => changeDealStage(s, { to: 'SIGNE' }, world.stages, c))) deal.wonAt = closeAt
  } else if (going && fate.kind === 'lost') {
    apply(entered[fate.at + 1], (s, c) => changeDealStage(s, { to: 'PERDU', lostReason }, world.stages, c))
  }
  deal.state!.version = deal.events.length
  return deal
}
