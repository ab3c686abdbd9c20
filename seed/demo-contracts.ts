import type { Db } from '../db/kysely.js'
import type { ContractPeriod, ContractType } from '../db/schema.js'
import { amendContractCommand, closeTermCommand, createContractCommand, terminateContractCommand } from '../domain/contracts/contract.commands.js'
import type { ContractState } from '../domain/contracts/contract.js'
import { addDays, termEnd } from '../domain/contracts/contract-dates.js'
import type { CommandContext } from '../domain/shared/events.js'
import { parisDateTime, parisDay } from '../domain/shared/paris-time.js'
import type { TerminationReason } from '../db/schema.js'
import { entityId, streamRng } from './prng.js'

// The demo's contracts: a portfolio started over the last 36 months, run through the
// contract commands in date order (each with its own "now"), so the events, the rows,
// the billing items and the renewal history are those the product itself would have
// written: upgrades and downgrades by amendment, terminations, tacit and explicit
// renewals, expiries, and customers coming back.

export type ContractWorld = {
  seed: number
  workspaceId: string
  /** The demo's today (ms): nothing happens after it. */
  asOf: number
  organisationIds: readonly string[]
  ownerIds: readonly string[]
  actorId: string | null
}

type Action = { day: string; kind: 'upgrade' | 'downgrade' | 'terminate' }

const TYPES: readonly (readonly [ContractType, number])[] = [
  ['abonnement', 5],
  ['maintenance', 3.5],
  ['prestation', 1.5],
]
const PERIODS: readonly (readonly [ContractPeriod, number])[] = [
  ['mensuel', 5],
  ['annuel', 3.5],
  ['trimestriel', 1.5],
]
const MONTHS: Record<ContractPeriod, number> = { mensuel: 1, trimestriel: 3, annuel: 12 }
const REASONS: readonly TerminationReason[] = ['prix', 'insatisfaction', 'concurrence', 'cessation_activite', 'autre']
const TITLES: Record<ContractType, readonly string[]> = {
  abonnement: ['Abonnement logiciel', 'Licences CRM', 'Hébergement et sauvegarde', 'Abonnement support premium'],
  maintenance: ['Maintenance du parc', 'Contrat de maintenance', 'Maintenance préventive', 'Tierce maintenance applicative'],
  prestation: ['Infogérance', 'Accompagnement mensuel', 'Prestation de conseil', 'Formation continue'],
}

/** How many contracts a demo of `organisations` companies gets: a few hundred at the default size. */
export const demoContractCount = (organisations: number) => Math.max(1, Math.min(300, Math.round(organisations / 5)))

/** Writes contract `i` and its history up to `asOf`. Deterministic for (seed, i, asOf). */
export async function seedContract(db: Db, w: ContractWorld, i: number): Promise<void> {
  const rng = streamRng(w.seed, 'contract', i)
  const today = parisDay(new Date(w.asOf))
  const id = entityId(w.seed, 'contract', i)
  const type = rng.weighted(TYPES)
  const period = rng.weighted(PERIODS)
  const start = parisDay(new Date(w.asOf - rng.int(20, 1095) * 86_400_000))
  // 150 € to 3 000 € a month, in whole euros, priced per period.
  const monthly = rng.int(15, 300) * 10_00
  const tacit = rng.chance(0.7)
  const termMonths = rng.chance(0.2) ? 24 : 12
  const at = (day: string) => parisDateTime(day, '09:30')!
  const ctx = (day: string): CommandContext => ({ workspaceId: w.workspaceId, actorId: w.actorId, now: at(day), source: 'import' })
  const signed = addDays(start, -rng.int(1, 20))
  let r = await createContractCommand(db, ctx(signed < today ? signed : today), {
    id,
    activate: true,
    fields: {
      title: rng.pick(TITLES[type]),
      organisation_id: w.organisationIds[rng.int(0, w.organisationIds.length - 1)],
      deal_id: null,
      quote_id: null,
      contact_id: null,
      owner_id: w.ownerIds.length ? w.ownerIds[rng.int(0, w.ownerIds.length - 1)] : null,
      type,
      start_date: start,
      end_date: termEnd(start, termMonths),
      unit_amount_cents: monthly * MONTHS[period],
      quantity: rng.weighted([
        [1, 6],
        [2, 2],
        [5, 1],
      ] as const),
      amount_period: period,
      billing_frequency: period === 'annuel' && rng.chance(0.5) ? 'annuel' : rng.chance(0.5) ? 'trimestriel' : 'mensuel',
      payment_terms_days: rng.pick([0, 30, 45]),
      tacit_renewal: tacit,
      renewal_months: 12,
      notice_months: rng.pick([1, 2, 3]),
      indexation_bp: rng.chance(0.4) ? rng.pick([150, 200, 300]) : null,
      notes: null,
    },
  })
  let c = r.state as ContractState
  // What happens to it, by day: one upgrade or downgrade in some, a termination in others.
  const actions: Action[] = []
  const within = (maxDays: number) => addDays(start, rng.int(30, maxDays))
  if (rng.chance(0.3)) actions.push({ day: within(900), kind: 'upgrade' })
  if (rng.chance(0.12)) actions.push({ day: within(900), kind: 'downgrade' })
  if (rng.chance(0.22)) actions.push({ day: within(1000), kind: 'terminate' })
  actions.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  const renewExplicitly = rng.chance(0.55)
  for (let guard = 0; guard < 40; guard++) {
    if (c.status !== 'actif' && c.status !== 'a_renouveler') return
    const close = addDays(c.end_date, 1)
    const next = actions[0]
    if (next && next.day < close && next.day <= today) {
      actions.shift()
      const day = next.day < c.start_date ? c.start_date : next.day
      if (next.kind === 'terminate') {
        // Notice of one to three months, to the end of a month, never past the term.
        const effective = addDays(`${addDays(day, 31 * c.notice_months).slice(0, 7)}-01`, -1)
        r = await terminateContractCommand(db, ctx(day), {
          id,
          reason: rng.pick(REASONS),
          effectiveDate: effective > c.end_date ? c.end_date : effective < c.start_date ? c.start_date : effective,
          comment: null,
        })
      } else {
        const up = next.kind === 'upgrade'
        const changes = rng.chance(0.5)
          ? { quantity: up ? c.quantity + rng.int(1, 3) : Math.max(1, c.quantity - 1) }
          : { unit_amount_cents: Math.round((c.unit_amount_cents * (up ? rng.int(110, 140) : rng.int(75, 90))) / 100 / 100) * 100 }
        if (changes.quantity === c.quantity) continue
        r = await amendContractCommand(db, ctx(day), {
          id,
          effectiveDate: day,
          changes,
          reason: up ? 'Extension du périmètre' : 'Réduction du périmètre',
        })
      }
      c = r.state as ContractState
      continue
    }
    if (close > today) return
    // The end of the term: the nightly job's command, the morning after.
    const closed = await closeTermCommand(db, ctx(close), { id, periodIndex: c.period_index, renew: tacit ? undefined : renewExplicitly })
    c = closed.state as ContractState
  }
}
