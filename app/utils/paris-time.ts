import { TIME_ZONE } from './format'

// `<input type="datetime-local">` speaks wall-clock time without a zone. People type
// Paris time; the database stores UTC. These two turn one into the other across DST.

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
})

function wallClockMs(date: Date): number {
  const p = Object.fromEntries(parts.formatToParts(date).map((x) => [x.type, x.value]))
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
}

/** A UTC instant as the value of a datetime-local input, in Paris time: "2026-11-27T14:05". */
export function toParisLocalInput(value: Date | string): string {
  const d = new Date(value)
  return new Date(wallClockMs(d)).toISOString().slice(0, 16)
}

/**
 * "2026-11-27T14:05" typed in Paris → the UTC instant, or null when malformed or not on
 * the calendar. A time skipped by the spring-forward change resolves to the hour after.
 */
export function parisLocalToUtc(input: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(input.trim())
  if (!m) return null
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0))
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s)
  const check = new Date(asUtc)
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null
  // The zone's offset at the guessed instant, then once more at the corrected one (DST edges).
  let utc = asUtc - (wallClockMs(new Date(asUtc)) - asUtc)
  utc = asUtc - (wallClockMs(new Date(utc)) - utc)
  return new Date(utc)
}
