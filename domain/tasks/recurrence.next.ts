import * as rruleModule from 'rrule'
import { fromWallClock, toWallClock } from '../shared/paris-time.js'
import { parseRRule } from './recurrence.js'

// rrule ships CommonJS for Node (named exports invisible to ESM) and ESM for bundlers.
const { RRule } = (
  (rruleModule as unknown as { RRule?: unknown }).RRule ? rruleModule : (rruleModule as unknown as { default: typeof rruleModule }).default
) as typeof rruleModule

export type NextOccurrence = { dueAt: Date; index: number }

/**
 * The occurrence that follows one being closed (completed or cancelled), or null when the
 * series is over. Computed by rrule on Paris wall-clock time (DTSTART = the closed
 * occurrence, floating), so 09:00 stays 09:00 across DST changes. Occurrences already in
 * the past when it is closed late are skipped (no backlog of overdue copies), but still
 * count towards COUNT.
 *
 * @example nextOccurrence({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TH', dueAt: mon0900, index: 0, now }) // → { dueAt: thu0900, index: 1 }
 */
export function nextOccurrence(o: { rrule: string; dueAt: Date; index: number; now: Date }): NextOccurrence | null {
  const r = parseRRule(o.rrule)
  if (!r) return null
  const options = RRule.parseString(o.rrule.replace(/^RRULE:/i, ''))
  const count = options.count ?? null
  delete options.count
  const start = toWallClock(o.dueAt)
  const rule = new RRule({ ...options, dtstart: start, wkst: RRule.MO })
  const now = toWallClock(o.now)
  const threshold = now > start ? now : start
  // Occurrences after the closed one up to the threshold are skipped (they count, though).
  const skipped = threshold > start ? rule.between(new Date(start.getTime() + 1), threshold, true).length : 0
  const next = rule.after(threshold, false)
  if (!next) return null
  const index = o.index + skipped + 1
  if (count !== null && index >= count) return null
  return { dueAt: fromWallClock(next), index }
}
