import { ValidationError, type FieldProblems } from '../shared/errors.js'
import { dayProblem } from '../shared/plausible.js'

// The recurrences a task can have, as the editor offers them (none / daily / weekly on
// chosen days / monthly, ending never, on a date or after a count), and their RFC 5545
// RRULE text, which is what the `tasks.rrule` column stores. Pure: the next occurrence
// is computed by recurrence.next.ts (rrule library).

export type RecurrenceFreq = 'daily' | 'weekly' | 'monthly'
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export type RecurrenceEnd = { kind: 'never' } | { kind: 'until'; date: string } | { kind: 'count'; count: number }
export type Recurrence = { freq: RecurrenceFreq; interval: number; byDay: Weekday[]; end: RecurrenceEnd }

export const MAX_INTERVAL = 99
export const MAX_COUNT = 500

const FREQS: Record<string, RecurrenceFreq> = { DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly' }

/** The RRULE value of a recurrence: `FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10`. UNTIL is the end of that Paris day (floating). */
export function toRRule(r: Recurrence): string {
  const parts = [`FREQ=${r.freq.toUpperCase()}`]
  if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`)
  if (r.freq === 'weekly' && r.byDay.length) parts.push(`BYDAY=${sortDays(r.byDay).join(',')}`)
  if (r.end.kind === 'count') parts.push(`COUNT=${r.end.count}`)
  if (r.end.kind === 'until') parts.push(`UNTIL=${r.end.date.replaceAll('-', '')}T235959`)
  return parts.join(';')
}

const sortDays = (days: Weekday[]) => WEEKDAYS.filter((d) => days.includes(d))

/** Reads back what toRRule wrote (and the same subset written by hand); null if it is something else. */
export function parseRRule(text: string | null | undefined): Recurrence | null {
  if (!text) return null
  const fields = new Map<string, string>()
  for (const part of text
    .replace(/^RRULE:/i, '')
    .trim()
    .split(';')) {
    const [k, v] = part.split('=')
    if (!k || v === undefined || fields.has(k.toUpperCase())) return null
    fields.set(k.toUpperCase(), v.toUpperCase())
  }
  const freq = FREQS[fields.get('FREQ') ?? '']
  if (!freq) return null
  const interval = fields.has('INTERVAL') ? Number(fields.get('INTERVAL')) : 1
  if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL) return null
  let byDay: Weekday[] = []
  if (fields.has('BYDAY')) {
    if (freq !== 'weekly') return null
    const days = fields.get('BYDAY')!.split(',')
    if (!days.every((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d))) return null
    byDay = sortDays(days as Weekday[])
  }
  let end: RecurrenceEnd = { kind: 'never' }
  if (fields.has('COUNT') && fields.has('UNTIL')) return null
  if (fields.has('COUNT')) {
    const count = Number(fields.get('COUNT'))
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) return null
    end = { kind: 'count', count }
  }
  if (fields.has('UNTIL')) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(fields.get('UNTIL')!)
    if (!m) return null
    end = { kind: 'until', date: `${m[1]}-${m[2]}-${m[3]}` }
  }
  for (const k of fields.keys()) if (!['FREQ', 'INTERVAL', 'BYDAY', 'COUNT', 'UNTIL'].includes(k)) return null
  return { freq, interval, byDay, end }
}

/** The field errors (codes) of a recurrence, keyed by the editor's field names. */
export function recurrenceErrors(r: Recurrence, firstDay: string | null): FieldProblems {
  const errors: FieldProblems = {}
  if (!Number.isInteger(r.interval) || r.interval < 1 || r.interval > MAX_INTERVAL)
    errors.recurrence_interval = { code: 'task.recurrence.interval.range', params: { max: MAX_INTERVAL } }
  if (r.freq === 'weekly' && r.byDay.length === 0) errors.recurrence_days = 'task.recurrence.days.required'
  if (r.end.kind === 'count' && (!Number.isInteger(r.end.count) || r.end.count < 1 || r.end.count > MAX_COUNT)) {
    errors.recurrence_count = { code: 'task.recurrence.count.range', params: { max: MAX_COUNT } }
  }
  if (r.end.kind === 'until') {
    const problem = dayProblem(r.end.date, 'task.recurrence.until.invalid')
    if (problem) errors.recurrence_until = problem
    else if (firstDay && r.end.date < firstDay) errors.recurrence_until = 'task.recurrence.until.before_due'
  }
  return errors
}

/** Throws the field errors of an RRULE text (the domain's own check of what it stores). */
export function assertValidRRule(text: string, firstDay: string | null): Recurrence {
  const r = parseRRule(text)
  if (!r) throw new ValidationError({ recurrence: 'task.recurrence.invalid' })
  const errors = recurrenceErrors(r, firstDay)
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return r
}

const DAY_NAMES: Record<Weekday, string> = { MO: 'lundi', TU: 'mardi', WE: 'mercredi', TH: 'jeudi', FR: 'vendredi', SA: 'samedi', SU: 'dimanche' }
const DAY_NAMES_EN: Record<Weekday, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' }

const list = (items: string[], and: string) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`)
const frDate = (iso: string) => iso.split('-').reverse().join('/')

/** "Chaque semaine le lundi et le jeudi, 10 fois" — for the task page and lists. */
export function describeRecurrence(r: Recurrence, locale: 'fr' | 'en' = 'fr'): string {
  if (locale === 'en') {
    const unit = { daily: ['Every day', 'days'], weekly: ['Every week', 'weeks'], monthly: ['Every month', 'months'] }[r.freq]
    let s = r.interval > 1 ? `Every ${r.interval} ${unit[1]}` : unit[0]
    if (r.freq === 'weekly' && r.byDay.length)
      s += ` on ${list(
        r.byDay.map((d) => DAY_NAMES_EN[d]),
        'and',
      )}`
    if (r.end.kind === 'count') s += `, ${r.end.count} times`
    if (r.end.kind === 'until') s += `, until ${r.end.date}`
    return s
  }
  const unit = {
    daily: ['Chaque jour', `Tous les ${r.interval} jours`],
    weekly: ['Chaque semaine', `Toutes les ${r.interval} semaines`],
    monthly: ['Chaque mois', `Tous les ${r.interval} mois`],
  }[r.freq]
  let s = r.interval > 1 ? unit[1] : unit[0]
  if (r.freq === 'weekly' && r.byDay.length)
    s += ` le ${list(
      r.byDay.map((d) => DAY_NAMES[d]),
      'et le',
    )}`
  if (r.end.kind === 'count') s += `, ${r.end.count} fois`
  if (r.end.kind === 'until') s += `, jusqu’au ${frDate(r.end.date)}`
  return s
}

/** The weekday code of a Paris day ("2027-03-29" → 'MO'): the editor's default for weekly. */
export function weekdayOf(day: string): Weekday {
  return WEEKDAYS[(new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7]
}
