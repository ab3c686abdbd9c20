import type { DealFactRow, OpenPoint } from './deal-facts.projection.js'
import { monthOf, parisDay } from '../domain/shared/paris-time.js'
import type { RollupSpec } from './rollup.js'

// The dashboards' aggregate tables, each a sum of per-deal contributions kept exact by
// rollup.ts (docs/decisions/0006-analytics-rollups.md). Days are Paris calendar days.
// A deal counts with its CURRENT owner, category and region: reassigning a deal moves
// its history with it, as the filters on the deal lists do. Deleted deals count nowhere.
// Team is not a key: a team filter reads the owners' current team (users_teams).

/** Key value for "no owner" (UUID columns cannot be null in a sort key). */
export const NO_OWNER = '00000000-0000-0000-0000-000000000000'

export const dims = (r: DealFactRow) => [r.owner_id ?? NO_OWNER, r.category ?? '', r.region ?? '']
const KEY_DIMS = [
  { name: 'owner_id', type: 'UUID' },
  { name: 'category', type: 'String' },
  { name: 'region', type: 'String' },
]

const CLOSE_MEASURES = ['created_deals', 'created_cents', 'won_deals', 'won_cents', 'won_cycle_ms', 'lost_deals']

/** What one deal adds on its creation day and on its close day (won or lost). */
function closeContributions(r: DealFactRow, period: (day: string) => string, add: (key: string[], values: number[]) => void) {
  if (r.deleted) return
  // dims(r) spelt out: this runs for both sides of most deal events.
  const owner = r.owner_id ?? NO_OWNER
  const category = r.category ?? ''
  const region = r.region ?? ''
  add([period(parisDay(r.created_at)), owner, category, region], [1, r.amount_cents, 0, 0, 0, 0])
  if (r.closed_at && r.won) {
    const cycle = Date.parse(r.closed_at) - Date.parse(r.created_at)
    add([period(parisDay(r.closed_at)), owner, category, region], [0, 0, 1, r.close_amount_cents ?? 0, cycle, 0])
  } else if (r.closed_at && r.lost) {
    add([period(parisDay(r.closed_at)), owner, category, region], [0, 0, 0, 0, 0, 1])
  }
}

/** The fields closeContributions reads are equal on both sides: same cells, same values. */
const sameClose = (a: DealFactRow, b: DealFactRow) =>
  a.deleted === b.deleted &&
  a.owner_id === b.owner_id &&
  a.category === b.category &&
  a.region === b.region &&
  a.created_at === b.created_at &&
  a.amount_cents === b.amount_cents &&
  a.closed_at === b.closed_at &&
  a.won === b.won &&
  a.lost === b.lost &&
  a.close_amount_cents === b.close_amount_cents

/**
 * deals_daily: per Paris day, owner, category and region — deals created and their
 * current amount (pipeline created), deals won that day with their amount at close and
 * the summed creation→close time, deals lost that day.
 */
export const dealsDailyRollup: RollupSpec<DealFactRow> = {
  table: 'deals_daily',
  keys: [{ name: 'day', type: 'Date' }, ...KEY_DIMS],
  measures: CLOSE_MEASURES,
  contributions: (r, add) => closeContributions(r, (d) => d, add),
  unchanged: sameClose,
  // About 200 cells a day at a million deals over three years.
  memory: 400_000,
}

/** deals_monthly: deals_daily summed by calendar month (`month` = its first day), for year-long trends. */
export const dealsMonthlyRollup: RollupSpec<DealFactRow> = {
  table: 'deals_monthly',
  keys: [{ name: 'month', type: 'Date' }, ...KEY_DIMS],
  measures: CLOSE_MEASURES,
  contributions: (r, add) => closeContributions(r, monthOf, add),
  unchanged: sameClose,
  memory: 50_000,
}

/**
 * deals_open: the open pipeline now (not closed, not deleted) by owner, category,
 * region and stage: deals, amount, and amount × probability (divided by 100 and
 * rounded half up only when summed for display).
 */
export const dealsOpenRollup: RollupSpec<DealFactRow> = {
  table: 'deals_open',
  keys: [...KEY_DIMS, { name: 'stage', type: 'String' }],
  measures: ['deals', 'amount_cents', 'weighted_x100'],
  contributions(r, add) {
    if (r.deleted || r.closed_at) return
    add([r.owner_id ?? NO_OWNER, r.category ?? '', r.region ?? '', r.stage], [1, r.amount_cents, r.amount_cents * r.probability])
  },
  // The fields contributions() reads.
  unchanged: (a, b) =>
    a.deleted === b.deleted &&
    a.closed_at === b.closed_at &&
    a.owner_id === b.owner_id &&
    a.category === b.category &&
    a.region === b.region &&
    a.stage === b.stage &&
    a.amount_cents === b.amount_cents &&
    a.probability === b.probability,
  memory: 50_000,
}

/**
 * deals_open_daily: by Paris day, owner, category and region, the net change that day of
 * the open pipeline (deals, amount, amount × probability), from each deal's open-pipeline
 * history (deal-facts.projection.ts). Summed over the days after D and taken from
 * deals_open, it gives the open pipeline at the end of day D. Deleted deals count
 * nowhere, in the past either, as in every rollup.
 */
export const dealsOpenDailyRollup: RollupSpec<DealFactRow> = {
  table: 'deals_open_daily',
  keys: [{ name: 'day', type: 'Date' }, ...KEY_DIMS],
  measures: ['deals', 'amount_cents', 'weighted_x100'],
  contributions(r, add) {
    if (r.deleted) return
    historyFrom(r, 0, 1, add)
  },
  // The history, the deletion and the dims are all it reads (the fold keeps the same history array when nothing moved).
  unchanged: (a, b) =>
    a.open_history === b.open_history && a.deleted === b.deleted && a.owner_id === b.owner_id && a.category === b.category && a.region === b.region,
  // An event moves only the tail of the history: the points both sides share add the
  // same to both and cancel out, so only the rest is summed (O(1) instead of O(history)).
  changes(before, after, add) {
    if (before.deleted || after.deleted || before.owner_id !== after.owner_id || before.category !== after.category || before.region !== after.region) {
      if (!before.deleted) historyFrom(before, 0, -1, add)
      if (!after.deleted) historyFrom(after, 0, 1, add)
      return
    }
    const x = before.open_history
    const y = after.open_history
    let shared = 0
    const n = Math.min(x.length, y.length)
    while (shared < n && samePoint(x[shared], y[shared])) shared++
    historyFrom(before, shared, -1, add)
    historyFrom(after, shared, 1, add)
  },
  // About two cells a deal-day (opened, closed): as many as deals_daily.
  memory: 400_000,
}

const samePoint = (p: OpenPoint, q: OpenPoint) => p === q || (p[0] === q[0] && p[1] === q[1] && p[2] === q[2] && p[3] === q[3])

/** The day-by-day changes of a deal's open-pipeline history from point `from` on (each against the point before), times `sign`. */
function historyFrom(r: DealFactRow, from: number, sign: number, add: (key: string[], values: number[]) => void) {
  const owner = r.owner_id ?? NO_OWNER
  const category = r.category ?? ''
  const region = r.region ?? ''
  const h = r.open_history
  let deals = from > 0 ? h[from - 1][1] : 0
  let cents = from > 0 ? h[from - 1][2] : 0
  let weighted = from > 0 ? h[from - 1][3] : 0
  for (let i = from; i < h.length; i++) {
    const [day, d, c, w] = h[i]
    add([day, owner, category, region], [sign * (d - deals), sign * (c - cents), sign * (w - weighted)])
    deals = d
    cents = c
    weighted = w
  }
}

export const dealRollups = [dealsDailyRollup, dealsMonthlyRollup, dealsOpenRollup, dealsOpenDailyRollup]
