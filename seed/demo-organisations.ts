import { evolveOrganisation, type OrganisationEvent, type OrganisationFields, type OrganisationState } from '../domain/crm/organisation.js'
import { createOrganisation, updateOrganisation } from '../domain/crm/organisation.decide.js'
import { frenchVatNumber, withLuhnDigit } from '../domain/crm/french-ids.js'
import type { OrganisationStatus } from '../db/schema.js'
import { BUSINESS_PARKS, CITIES, STREETS, teamOfRegion, type City, type TeamKey } from './french-places.js'
import { BRAND_PREFIXES, BRAND_SUFFIXES, PLACES_BY_REGION, SURNAMES } from './french-names.js'
import { LEGAL_FORMS, SECTOR_WORDS, SECTORS, SECTORS_IN_PARKS, SIZE_DEAL_WEIGHT, SIZES, type Size } from './catalogue.js'
import { streamRng, type Rng } from './prng.js'
import { DAY, officeHours } from './seed-time.js'
import type { SeedStream } from './seed-stream.js'

export type OrganisationPlan = {
  id: string
  fields: OrganisationFields
  /** The name without its legal form, for deal titles. */
  shortName: string
  region: string
  team: TeamKey
  size: Size
  createdAt: number
  /** Relative chance that a new deal is with this company; 0 for cold prospects. */
  dealWeight: number
}

export type DemoPeople = {
  adminId: string
  /** Account owners per team, with their share of the team's accounts. */
  ownersByTeam: Record<TeamKey, readonly { id: string; weight: number }[]>
}

// A client that signs nothing for 18 months is counted as a former client.
const CHURN_AFTER = 540 * DAY
// The CRM went live ~3 years ago with an import of the existing address book.
const HISTORY = 1095 * DAY

function companyName(rng: Rng, sector: string, city: City): string {
  const word = rng.pick(SECTOR_WORDS[sector])
  const surname = rng.pick(SURNAMES)
  switch (
    rng.weighted([
      [0, 30],
      [1, 20],
      [2, 10],
      [3, 22],
      [4, 10],
      [5, 8],
    ] as const)
  ) {
    case 0:
      return `${word} ${surname}`
    case 1:
      return `${surname} ${word}`
    case 2:
      return `${surname} & Fils`
    case 3:
      return `${rng.pick(BRAND_PREFIXES)}${rng.pick(BRAND_SUFFIXES)}`
    case 4:
      return `${word} ${rng.pick(PLACES_BY_REGION[city.region])}`
    default:
      return `${word} ${surname} ${city.name}`
  }
}

function siren(rng: Rng, taken: Set<string>): string {
  for (;;) {
    // Real SIRENs of companies mostly start with 3–9; 356000000 (La Poste) follows other rules.
    const s = withLuhnDigit(String(rng.pick([3, 4, 5, 7, 8, 9])) + String(rng.int(0, 9_999_999)).padStart(7, '0'))
    if (!taken.has(s) && !s.startsWith('356000000')) {
      taken.add(s)
      return s
    }
  }
}

/**
 * The demo's companies, each from its own random stream. Deterministic for a seed and
 * an `asOf` day.
 */
export function planOrganisations(o: { seed: number; count: number; asOf: number; people: DemoPeople }): OrganisationPlan[] {
  const names = new Set<string>()
  const sirens = new Set<string>()
  const plans: OrganisationPlan[] = []
  for (let i = 0; i < o.count; i++) {
    const rng = streamRng(o.seed, 'organisation', i)
    const id = rng.uuid()
    const sector = rng.weighted(SECTORS)
    const size = rng.weighted(SIZES)
    const city = rng.weighted(CITIES.map((c) => [c, c.weight] as const))
    const legalForm = rng.weighted(LEGAL_FORMS[size])
    let shortName = companyName(rng, sector, city)
    for (let n = 2; names.has(shortName); n++) shortName = n === 2 ? `${shortName} ${city.name}` : `${shortName.replace(/ \d+$/, '')} ${n}`
    names.add(shortName)
    const s = siren(rng, sirens)
    const siret = withLuhnDigit(s + String(rng.int(1, 80)).padStart(4, '0'))
    const address =
      SECTORS_IN_PARKS.has(sector) && rng.chance(0.45)
        ? `${rng.int(1, 40)} ${rng.pick(BUSINESS_PARKS)}`
        : `${rng.int(1, 180)}${rng.chance(0.08) ? ' bis' : ''} ${rng.pick(STREETS)}`
    const team = teamOfRegion(city.region)
    const owners = o.people.ownersByTeam[team]
    const ownerId = rng.chance(0.05) ? null : rng.weighted(owners.map((p) => [p.id, p.weight] as const))
    const imported = rng.chance(0.55)
    const createdAt = officeHours(imported ? o.asOf - HISTORY - rng.int(1, 90) * DAY : o.asOf - rng.next() * (HISTORY - 2 * DAY) - 2 * DAY, rng)
    // Some imported companies were already clients before the CRM existed.
    const status: OrganisationStatus = imported && rng.chance(0.2) ? 'client' : 'prospect'
    const cold = rng.chance(0.25)
    plans.push({
      id,
      shortName,
      region: city.region,
      team,
      size,
      createdAt: Math.min(createdAt, o.asOf - 2 * DAY),
      dealWeight: cold ? 0 : SIZE_DEAL_WEIGHT[size] * (0.2 + 1.6 * rng.next()),
      fields: {
        name: `${shortName} ${legalForm}`,
        siren: s,
        siret,
        vat_number: frenchVatNumber(s),
        address,
        postal_code: city.postalCode,
        city: city.name,
        sector,
        size,
        status,
        owner_id: ownerId,
      },
    })
  }
  return plans
}

const fieldsOf = (s: OrganisationState): OrganisationFields => ({
  name: s.name,
  siren: s.siren,
  siret: s.siret,
  vat_number: s.vat_number,
  address: s.address,
  postal_code: s.postal_code,
  city: s.city,
  sector: s.sector,
  size: s.size,
  status: s.status,
  owner_id: s.owner_id,
})

/**
 * The company's history as the commands would have written it: created, then becoming
 * a client at its first signed deal and a former client after 18 months without one.
 */
export function organisationHistory(
  plan: OrganisationPlan,
  o: { workspaceId: string; adminId: string; asOf: number; wins: readonly number[]; creationOnly?: boolean },
): SeedStream<OrganisationState, OrganisationEvent> {
  const actorId = plan.fields.owner_id ?? o.adminId
  const stream: SeedStream<OrganisationState, OrganisationEvent> = { streamType: 'organisation', streamId: plan.id, state: null, events: [] }
  const apply = (at: number, decide: (s: OrganisationState | null, now: Date) => OrganisationEvent[]) => {
    const now = new Date(at)
    for (const e of decide(stream.state, now)) {
      stream.state = evolveOrganisation(stream.state, e)
      stream.events.push({ event: e, at: now, actorId })
    }
  }
  const ctx = (now: Date) => ({ workspaceId: o.workspaceId, actorId, now, source: 'seed' as const })
  const setStatus = (at: number, status: OrganisationStatus) => apply(at, (s, now) => updateOrganisation(s, { fields: { ...fieldsOf(s!), status } }, ctx(now)))

  apply(plan.createdAt, (s, now) => createOrganisation(s, { id: plan.id, fields: plan.fields }, ctx(now)))
  if (o.creationOnly) {
    stream.state!.version = 1
    return stream
  }
  let status = plan.fields.status
  let lastWin = status === 'client' ? plan.createdAt : null
  for (const w of [...o.wins].sort((a, b) => a - b)) {
    if (status === 'client' && lastWin !== null && w - lastWin > CHURN_AFTER) {
      setStatus(lastWin + CHURN_AFTER, 'ancien_client')
      status = 'ancien_client'
    }
    if (status !== 'client') {
      setStatus(w, 'client')
      status = 'client'
    }
    lastWin = w
  }
  if (status === 'client' && lastWin !== null && o.asOf - lastWin > CHURN_AFTER) setStatus(lastWin + CHURN_AFTER, 'ancien_client')
  stream.state!.version = stream.events.length
  return stream
}
