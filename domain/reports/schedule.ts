import cronParser from 'cron-parser'
import { fromWallClock, toWallClock } from '../shared/paris-time.js'

// When a report schedule is due. pg-boss keeps one cron per queue, so one job ticks every
// minute and sends what `nextRuns` says is due; each run is keyed by its slot (the Paris
// wall-clock minute it is for) so a slot is sent once however many ticks or workers see it.
//
// The cron expression is read on the Paris wall clock, never on UTC: "0 9 * * 1" is 09:00 in
// Paris all year. Around the clock changes (docs/decisions/0043-report-builder.md):
// - a time skipped in spring (02:30 on the last Sunday of March) runs at the same minute of
//   the hour after (03:30), once;
// - a time shown twice in autumn (02:30 on the last Sunday of October) runs at its first
//   instant only.

const MINUTE = 60_000

/** A schedule's slot: the Paris wall-clock minute it runs for, 'YYYY-MM-DDTHH:MM'. */
export type Slot = { slot: string; at: Date }

/** Whether `cron` is a five-field expression cron-parser accepts. */
export function isValidCron(cron: string): boolean {
  if (cron.trim().split(/\s+/).length !== 5) return false
  try {
    cronParser.parseExpression(cron, { tz: 'UTC' })
    return true
  } catch {
    return false
  }
}

/**
 * Every run of `cron` (Paris wall clock) whose instant is in [from, to), each wall-clock slot
 * once, in order. Throws on an invalid expression (check with isValidCron first).
 *
 * @example nextRuns('0 9 * * 1', new Date('2027-03-22T00:00Z'), new Date('2027-04-05T00:00Z'))
 */
export function nextRuns(cron: string, from: Date, to: Date): Slot[] {
  if (!isValidCron(cron)) throw new Error(`Invalid cron expression: ${cron}`)
  // Wall-clock bounds, an hour wider each side: a skipped time moves forward by an hour.
  const wallFrom = new Date(toWallClock(from).getTime() - 60 * MINUTE)
  const wallTo = new Date(toWallClock(to).getTime() + 60 * MINUTE)
  const it = cronParser.parseExpression(cron, { currentDate: new Date(wallFrom.getTime() - 1), endDate: wallTo, tz: 'UTC' })
  const out: Slot[] = []
  const seen = new Set<number>()
  while (it.hasNext()) {
    const wall = it.next().toDate()
    const at = fromWallClock(wall)
    if (at < from || at >= to || seen.has(at.getTime())) continue
    seen.add(at.getTime())
    out.push({ slot: wall.toISOString().slice(0, 16), at })
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime())
}

const DAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi']

/**
 * A French reading of the common shapes ("tous les lundis à 09:00", "le 1er de chaque mois à
 * 08:00"); null for others — the screen then lists the next runs instead.
 */
export function describeCron(cron: string): string | null {
  if (!isValidCron(cron)) return null
  const [min, hour, dom, month, dow] = cron.trim().split(/\s+/)
  if (!/^\d{1,2}$/.test(min) || !/^\d{1,2}$/.test(hour) || month !== '*') return null
  const at = `à ${hour.padStart(2, '0')}:${min.padStart(2, '0')}`
  if (dom === '*' && dow === '*') return `tous les jours ${at}`
  if (dom === '*' && (dow === '1-5' || dow === 'MON-FRI')) return `du lundi au vendredi ${at}`
  if (dom === '*' && /^[0-7]$/.test(dow)) return `tous les ${DAYS[Number(dow) % 7]}s ${at}`
  if (dow === '*' && /^\d{1,2}$/.test(dom)) return `le ${dom === '1' ? '1er' : dom} de chaque mois ${at}`
  return null
}

/** The presets the schedule form offers, as cron expressions. */
export const SCHEDULE_PRESETS = {
  hebdomadaire: '0 9 * * 1',
  mensuel: '0 8 1 * *',
} as const
