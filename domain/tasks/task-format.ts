import { PARIS_TIME_ZONE } from '../shared/paris-time.js'

// French wording of due dates for notifications and e-mails (the UI has its own formatters).

const dayFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS_TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
const timeFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS_TIME_ZONE, hour: '2-digit', minute: '2-digit' })

/** "lundi 29 mars 2027 à 09:00", or "lundi 29 mars 2027" for an all-day task. */
export function formatDue(due: Date | string, allDay: boolean): string {
  const d = new Date(due)
  return allDay ? dayFmt.format(d) : `${dayFmt.format(d)} à ${timeFmt.format(d)}`
}

/** "09:00" in Paris. */
export const formatParisTime = (due: Date | string) => timeFmt.format(new Date(due))
