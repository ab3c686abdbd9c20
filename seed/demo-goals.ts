import { evolveGoal, type GoalEvent, type GoalState } from '../domain/dashboards/goal.js'
import { setGoal } from '../domain/dashboards/goal.decide.js'
import type { GoalScope } from '../db/schema.js'
import { streamRng } from './prng.js'
import { DAY, officeHours } from './seed-time.js'
import type { SeedStream } from './seed-stream.js'

export type GeneratedGoal = SeedStream<GoalState, GoalEvent>

/** 'YYYY-MM' of the month `offset` months from the month of `t` (UTC). */
const monthKey = (t: number, offset: number) => {
  const d = new Date(t)
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1))
  return { key: m.toISOString().slice(0, 7), start: m.getTime() }
}

const roundTo = (cents: number, step: number) => Math.max(step, Math.round(cents / step) * step)

/**
 * Monthly revenue goals for each seller and each team over the last 12 months, the
 * current one and the next 3, through the domain's decide and evolve. A seller's
 * target is their average monthly revenue over the past year (from the generated wins)
 * times 0.95–1.3, in steps of 500 €; a team's is the sum of its sellers'. Each goal is
 * set by the admin a few days before its month starts (never after `asOf`).
 *
 * @example generateGoals({ seed, workspaceId, adminId, asOf, teams: { [teamId]: [sellerIds] }, wonByOwner })
 */
export function generateGoals(o: {
  seed: number
  workspaceId: string
  adminId: string
  asOf: number
  teams: Record<string, readonly string[]>
  /** Revenue won per seller over the 12 months before asOf, in cents. */
  wonLastYear: ReadonlyMap<string, number>
}): GeneratedGoal[] {
  const rng = streamRng(o.seed, 'goals')
  const months = Array.from({ length: 15 }, (_, i) => monthKey(o.asOf, i - 11))
  const goals: GeneratedGoal[] = []
  const add = (scope: GoalScope, scopeId: string, period: string, monthStart: number, targetCents: number) => {
    const id = rng.uuid()
    const at = Math.min(o.asOf - rng.int(1, 5) * DAY, officeHours(monthStart - rng.int(3, 12) * DAY, rng))
    const now = new Date(at)
    const stream: GeneratedGoal = { streamType: 'goal', streamId: id, state: null, events: [] }
    for (const e of setGoal(null, { id, scope, scopeId, period, targetCents }, { workspaceId: o.workspaceId, actorId: o.adminId, now, source: 'seed' })) {
      stream.state = evolveGoal(stream.state, e)
      stream.events.push({ event: e, at: now, actorId: o.adminId })
    }
    stream.state!.version = stream.events.length
    goals.push(stream)
  }
  for (const [teamId, sellers] of Object.entries(o.teams)) {
    const base = new Map(sellers.map((s) => [s, roundTo((o.wonLastYear.get(s) ?? 0) / 12, 50_000)]))
    for (const m of months) {
      let team = 0
      for (const s of sellers) {
        const target = roundTo(base.get(s)! * (0.95 + 0.35 * rng.next()), 50_000)
        team += target
        add('user', s, m.key, m.start, target)
      }
      add('team', teamId, m.key, m.start, roundTo(team, 100_000))
    }
  }
  return goals
}
