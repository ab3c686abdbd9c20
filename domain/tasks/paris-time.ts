// Tasks live in Paris time: due dates are typed, grouped ("aujourd'hui"), recurred and
// reminded by the Paris calendar, whatever the server's zone. A "wall clock" here is a
// Date whose UTC fields are the Paris fields (2027-03-29 09:00 Paris → 2027-03-29T09:00Z):
// arithmetic on it ignores DST, and `fromWallClock` maps it back to the real instant.

export const TASK_TIME_ZONE = 'Europe/Paris'

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TASK_TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
})

/** The Paris wall clock of an instant, as a Date whose UTC fields are the Paris fields. */
export function toWallClock(instant: Date): Date {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]))
  return new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second), instant.getUTCMilliseconds()))
}

/**
 * The instant at which Paris clocks show `wall` (UTC fields read as Paris time). A time
 * skipped by the spring-forward change resolves to the hour after; an ambiguous autumn
 * time to its first (summer) instant.
 */
export function fromWallClock(wall: Date): Date {
  const asUtc = wall.getTime()
  let utc = asUtc - (toWallClock(new Date(asUtc)).getTime() - asUtc)
  utc = asUtc - (toWallClock(new Date(utc)).getTime() - utc)
  return new Date(utc)
}

/** The Paris calendar day of an instant: "2027-03-29". */
export const parisDay = (instant: Date): string => toWallClock(instant).toISOString().slice(0, 10)

/** "2027-03-29" + n days (calendar arithmetic, no zone). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The instant a Paris day starts: "2027-03-28" → 2027-03-27T23:00:00Z. */
export const startOfParisDay = (day: string): Date => fromWallClock(new Date(`${day}T00:00:00Z`))

/** A Paris day and "HH:MM" as the instant, or null when either is malformed. */
export function parisDateTime(day: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null
  const wall = new Date(`${day}T${time}:00Z`)
  if (Number.isNaN(wall.getTime()) || wall.toISOString().slice(0, 10) !== day) return null
  return fromWallClock(wall)
}

/** Monday of the Paris week holding `day` (ISO weeks start on Monday). */
export function mondayOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay() // 0 = Sunday
  return addDays(day, -((dow + 6) % 7))
}

/** The Paris hour (0–23) of an instant. */
export const parisHour = (instant: Date): number => toWallClock(instant).getUTCHours()
