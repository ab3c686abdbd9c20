import { createHash, randomBytes } from 'node:crypto'
import ical from 'ical-generator'
import type { Db } from '../../db/kysely'
import { addDays, parisDay } from '../../domain/shared/paris-time'
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

/** The feed's public base: APP_URL when set (behind a proxy), else the request's origin. */
export function feedBaseUrl(request: Request): string {
  return (process.env.APP_URL?.trim() || new URL(request.url).origin).replace(/\/+$/, '')
}

/** Timed tasks show as 30-minute events; all-day tasks as all-day events. */
const TIMED_MINUTES = 30

/**
 * The feed of the token's owner — their open tasks with a due date (assigned to them,
 * or unassigned and created by them) — or null for an unknown token.
 */
export async function calendarFeed(db: Db, token: string, baseUrl: string, now = new Date()): Promise<string | null> {
  if (!isCalendarToken(token)) return null
  const owner = await db
    .selectFrom('calendar_tokens')
    .innerJoin('users', (j) => j.onRef('users.id', '=', 'calendar_tokens.user_id').onRef('users.workspace_id', '=', 'calendar_tokens.workspace_id'))
    .select(['users.id', 'users.workspace_id', 'users.full_name'])
    .where('calendar_tokens.token_hash', '=', hashCalendarToken(token))
    .where('users.active', '=', true)
    .executeTakeFirst()
  if (!owner) return null
  const tasks = await db
    .selectFrom('tasks')
    .leftJoin('organisations', 'organisations.id', 'tasks.organisation_id')
    .leftJoin('deals', 'deals.id', 'tasks.deal_id')
    .select([
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
      'organisations.name as organisation_name',
      'deals.title as deal_title',
    ])
    .where('tasks.workspace_id', '=', owner.workspace_id)
    .where('tasks.deleted_at', 'is', null)
    .where('tasks.status', 'in', OPEN_STATUSES)
    .where('tasks.due_at', 'is not', null)
    .where((eb) => eb.or([eb('tasks.assignee_id', '=', owner.id), eb.and([eb('tasks.assignee_id', 'is', null), eb('tasks.created_by', '=', owner.id)])]))
    .orderBy('tasks.due_at')
    .limit(5000)
    .execute()

  const cal = ical({
    name: `Tâches Alforis — ${owner.full_name}`,
    prodId: { company: 'Alforis', product: 'CRM', language: 'FR' },
    // Subscribers refresh hourly at most (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    ttl: 3600,
  })
  for (const t of tasks) {
    const due = new Date(t.due_at!)
    const about = [t.deal_title ? `Affaire : ${t.deal_title}` : null, t.organisation_name ? `Organisation : ${t.organisation_name}` : null]
    const description = [`Priorité : ${PRIORITY_LABELS[t.priority]}`, ...about, t.description].filter(Boolean).join('\n')
    const common = {
      id: `${t.id}@alforis-crm`,
      summary: t.title,
      description,
      url: `${baseUrl}/tasks/${t.id}`,
      stamp: now,
      created: new Date(t.created_at),
      lastModified: new Date(t.updated_at),
      sequence: t.version,
    }
    if (t.all_day) {
      // ical-generator writes an all-day date from the process's local date fields.
      const [y, m, d] = parisDay(due).split('-').map(Number)
      const [y2, m2, d2] = addDays(parisDay(due), 1).split('-').map(Number)
      cal.createEvent({ ...common, allDay: true, start: new Date(y, m - 1, d), end: new Date(y2, m2 - 1, d2) })
    } else {
      cal.createEvent({ ...common, start: due, end: new Date(due.getTime() + TIMED_MINUTES * 60_000) })
    }
  }
  // RFC 5545: every content line ends with CRLF, the last one too.
  return `${cal.toString()}\r\n`
}
