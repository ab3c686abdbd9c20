import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../../db/kysely'
import { appUrl } from '../../domain/shared/app-url'
import { addDays, fromWallClock, parisDay } from '../../domain/shared/paris-time'
import { icsDate, icsDocument, icsParis, icsText, icsUtc, PARIS_VTIMEZONE } from './ics.server'
import { OPEN_STATUSES, PRIORITY_LABELS } from '../../domain/tasks/task'

// The private iCalendar feed of a user's open tasks (Outlook, Google Agenda, Apple
// Calendrier subscribe to its URL). The URL holds a random secret; the database keeps
// only its SHA-256, so a leaked database does not leak the feeds.

/** A new secret for a feed URL: 256 random bits, URL-safe. */
export const newCalendarToken = () => randomBytes(32).toString('base64url')

export const hashCalendarToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

/** Only what newCalendarToken makes can match: anything else is refused before a lookup. */
export const isCalendarToken = (s: string) => /^[A-Za-z0-9_-]{43}$/.test(s)

/**
 * Replaces the user's feed secret (the old URL stops working) and returns the new one,
 * which is never stored in clear.
 *
 * @example const token = await regenerateCalendarToken(db, { workspaceId, userId }) // → `/calendar/${token}.ics`
 */
export async function regenerateCalendarToken(db: Db, who: { workspaceId: string; userId: string }): Promise<string> {
  const token = newCalendarToken()
  await db
    .insertInto('calendar_tokens')
    .values({ user_id: who.userId, workspace_id: who.workspaceId, token_hash: hashCalendarToken(token), created_at: new Date() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: hashCalendarToken(token), created_at: new Date() }))
    .execute()
  return token
}

export async function revokeCalendarToken(db: Db, who: { workspaceId: string; userId: string }) {
  await db.deleteFrom('calendar_tokens').where('user_id', '=', who.userId).where('workspace_id', '=', who.workspaceId).execute()
}

export async function calendarTokenCreatedAt(db: Db, who: { workspaceId: string; userId: string }): Promise<Date | null> {
  const r = await db
    .selectFrom('calendar_tokens')
    .select('created_at')
    .where('user_id', '=', who.userId)
    .where('workspace_id', '=', who.workspaceId)
    .executeTakeFirst()
  return r ? new Date(r.created_at) : null
}

/** The feed's public base: APP_URL (domain/shared/app-url.ts), else the request's origin. */
export function feedBaseUrl(request: Request): string {
  return appUrl(new URL(request.url).origin)
}

/** Timed tasks show as 30-minute events; all-day tasks as all-day events. */
const TIMED_MINUTES = 30

type FeedTask = {
  id: string
  title: string
  description: string | null
  due_at: Date | string | null
  all_day: boolean
  priority: keyof typeof PRIORITY_LABELS
  status: string
  version: number
  created_at: Date | string
  updated_at: Date | string
  deleted_at: Date | string | null
  rrule: string | null
  series_id: string
  occurrence_index: number
  organisation_name: string | null
  deal_title: string | null
}

/**
 * The feed of the token's owner — their open tasks with a due date (assigned to them,
 * or unassigned and created by them) — or null for an unknown token.
 *
 * A recurring task is one VEVENT for its series (ADR "calendar feed recurrence"): DTSTART
 * is the open occurrence the series continues from, RRULE the task's rule (COUNT reduced by
 * the occurrences already past), EXDATE the later occurrences already closed or deleted.
 * DTSTAMP is the last revision of what the event shows, never the download time, so an
 * unchanged feed is byte-identical; TRANSP:TRANSPARENT, tasks never block free/busy time.
 */
export async function calendarFeed(db: Db, token: string, baseUrl: string): Promise<string | null> {
  if (!isCalendarToken(token)) return null
  const owner = await db
    .selectFrom('calendar_tokens')
    .innerJoin('users', (j) => j.onRef('users.id', '=', 'calendar_tokens.user_id').onRef('users.workspace_id', '=', 'calendar_tokens.workspace_id'))
    .select(['users.id', 'users.workspace_id', 'users.full_name'])
    .where('calendar_tokens.token_hash', '=', hashCalendarToken(token))
    .where('users.active', '=', true)
    .executeTakeFirst()
  if (!owner) return null
  const columns = [
    'tasks.id',
    'tasks.title',
    'tasks.description',
    'tasks.due_at',
    'tasks.all_day',
    'tasks.priority',
    'tasks.status',
    'tasks.version',
    'tasks.created_at',
    'tasks.updated_at',
    'tasks.deleted_at',
    'tasks.rrule',
    'tasks.series_id',
    'tasks.occurrence_index',
    'organisations.name as organisation_name',
    'deals.title as deal_title',
  ] as const
  const tasks: FeedTask[] = await db
    .selectFrom('tasks')
    .leftJoin('organisations', 'organisations.id', 'tasks.organisation_id')
    .leftJoin('deals', 'deals.id', 'tasks.deal_id')
    .select(columns)
    .where('tasks.workspace_id', '=', owner.workspace_id)
    .where('tasks.deleted_at', 'is', null)
    .where('tasks.status', 'in', OPEN_STATUSES)
    .where('tasks.due_at', 'is not', null)
    .where((eb) => eb.or([eb('tasks.assignee_id', '=', owner.id), eb.and([eb('tasks.assignee_id', 'is', null), eb('tasks.created_by', '=', owner.id)])]))
    .orderBy('tasks.due_at')
    .limit(5000)
    .execute()

  // The series' heads: per series, the open occurrence with the highest index.
  const heads = new Map<string, FeedTask>()
  for (const t of tasks) if (t.rrule && (heads.get(t.series_id)?.occurrence_index ?? -1) < t.occurrence_index) heads.set(t.series_id, t)
  const seriesRows = heads.size
    ? await db
        .selectFrom('tasks')
        .select(['series_id', 'occurrence_index', 'due_at', 'status', 'deleted_at', 'version', 'updated_at'])
        .where('workspace_id', '=', owner.workspace_id)
        .where('series_id', 'in', [...heads.keys()])
        .execute()
    : []

  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Alforis//CRM//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${icsText(`Tâches Alforis — ${owner.full_name}`)}`,
    `X-WR-CALNAME:${icsText(`Tâches Alforis — ${owner.full_name}`)}`,
    'X-WR-TIMEZONE:Europe/Paris',
    // Subscribers refresh hourly at most.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...PARIS_VTIMEZONE,
  ]
  for (const t of tasks) {
    const head = t.rrule ? heads.get(t.series_id) : undefined
    if (head === t) {
      const rows = seriesRows.filter((r) => r.series_id === t.series_id)
      const later = rows.filter((r) => r.occurrence_index > t.occurrence_index && r.due_at && (r.deleted_at || !OPEN_STATUSES.includes(r.status)))
      lines.push(
        ...vevent(t, baseUrl, {
          uid: `${t.series_id}@alforis-crm`,
          rrule: feedRRule(t.rrule!, t),
          exdates: later.map((r) => new Date(r.due_at!)),
          // Every revision of the series bumps it: each row's events count (version + 1).
          sequence: rows.reduce((n, r) => n + r.version + 1, 0),
          stamp: new Date(Math.max(...rows.map((r) => new Date(r.updated_at).getTime()))),
        }),
      )
    } else {
      // A one-off task, or an earlier occurrence reopened while its series went on.
      lines.push(...vevent(t, baseUrl, { uid: `${t.id}@alforis-crm`, sequence: t.version, stamp: new Date(t.updated_at) }))
    }
  }
  lines.push('END:VCALENDAR')
  return icsDocument(lines)
}

function vevent(t: FeedTask, baseUrl: string, o: { uid: string; sequence: number; stamp: Date; rrule?: string | null; exdates?: Date[] }): string[] {
  const due = new Date(t.due_at!)
  const about = [t.deal_title ? `Affaire : ${t.deal_title}` : null, t.organisation_name ? `Organisation : ${t.organisation_name}` : null]
  const description = [`Priorité : ${PRIORITY_LABELS[t.priority]}`, ...about, t.description].filter(Boolean).join('\n')
  const day = parisDay(due)
  const when = t.all_day
    ? [`DTSTART;VALUE=DATE:${icsDate(day)}`, `DTEND;VALUE=DATE:${icsDate(addDays(day, 1))}`]
    : [`DTSTART;TZID=Europe/Paris:${icsParis(due)}`, `DTEND;TZID=Europe/Paris:${icsParis(new Date(due.getTime() + TIMED_MINUTES * 60_000))}`]
  const exdates = (o.exdates ?? []).map((d) => (t.all_day ? `EXDATE;VALUE=DATE:${icsDate(parisDay(d))}` : `EXDATE;TZID=Europe/Paris:${icsParis(d)}`))
  return [
    'BEGIN:VEVENT',
    `UID:${o.uid}`,
    `DTSTAMP:${icsUtc(o.stamp)}`,
    `CREATED:${icsUtc(new Date(t.created_at))}`,
    `LAST-MODIFIED:${icsUtc(o.stamp)}`,
    `SEQUENCE:${o.sequence}`,
    ...when,
    ...(o.rrule ? [`RRULE:${o.rrule}`] : []),
    ...exdates,
    `SUMMARY:${icsText(t.title)}`,
    `DESCRIPTION:${icsText(description)}`,
    `URL;VALUE=URI:${baseUrl}/tasks/${t.id}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ]
}

/**
 * The task's rule as the series continues from its open occurrence: COUNT less the
 * occurrences already behind it, UNTIL (stored as the end of a Paris day, floating) in
 * the form RFC 5545 requires beside DTSTART — UTC for a timed task, a DATE for an all-day one.
 */
export function feedRRule(rrule: string, head: { occurrence_index: number; all_day: boolean }): string | null {
  const parts = rrule.replace(/^RRULE:/i, '').split(';')
  const out: string[] = []
  for (const part of parts) {
    const [k, v] = part.split('=')
    if (k === 'COUNT') {
      const left = Number(v) - head.occurrence_index
      if (!(left > 1)) return null // the open occurrence is the last one: a plain event
      out.push(`COUNT=${left}`)
    } else if (k === 'UNTIL') {
      const m = /^(\d{4})(\d{2})(\d{2})/.exec(v)
      if (!m) return null
      const day = `${m[1]}-${m[2]}-${m[3]}`
      out.push(head.all_day ? `UNTIL=${m[1]}${m[2]}${m[3]}` : `UNTIL=${icsUtc(fromWallClock(new Date(`${day}T23:59:59Z`)))}`)
    } else out.push(part)
  }
  return out.join(';')
}
