import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { ActivityKind } from '../../db/schema'
import { ACTIVITY_KINDS, type ActivityFields } from '../../domain/crm/activity'
import { canCreateCrmRecords, type Actor } from '../../domain/identity/roles'
import type { TFunction } from '../i18n/i18n'
import type { Auth } from './auth.server'
import { findVisibleContact } from './contacts.server'
import { field } from './form-schema.server'
import { isUuid } from './forms.server'
import { parisLocalToUtc, toParisLocalInput } from '../../domain/shared/paris-time'
import { linkedNames } from './linked-names.server'
import { findVisibleDeal, findVisibleOrganisation } from './records.server'
import { visibleTo } from './visibility.server'

export const TIMELINE_PAGE_SIZE = 20
/** The timeline's query parameter: `?activites=<cursor>` shows the page after the cursor. */
export const TIMELINE_PARAM = 'activites'

export type TimelineTarget = { organisationId: string } | { contactId: string } | { dealId: string }
type Owner = { owner_id: string | null; ownerTeamId: string | null }

export type TimelineItem = {
  id: string
  kind: ActivityKind
  subject: string
  body: string | null
  occurredAt: string
  durationMinutes: number | null
  authorName: string | null
  contact: { id: string; name: string } | null
  deal: { id: string; title: string } | null
  canChange: boolean
}
export type Timeline = { items: TimelineItem[]; nextCursor: string | null; paged: boolean }

// Keyset on (occurred_at, id), newest first: stable under inserts, no OFFSET scan.
export const encodeCursor = (a: { occurred_at: Date; id: string }) => `${a.occurred_at.toISOString()}_${a.id}`

export function decodeCursor(raw: string | null): { at: Date; id: string } | null {
  if (!raw) return null
  const [iso, id] = raw.split('_')
  const at = new Date(iso ?? '')
  return Number.isNaN(at.getTime()) || !isUuid(id) ? null : { at, id }
}

/**
 * Who may change or delete an activity: admins, its author, and the managers of a
 * record it is attached to (they own it or its owner is in their team). Never finance.
 */
export function canChangeActivity(actor: Actor, activity: { author_id: string | null }, linkedOwners: Owner[]): boolean {
  if (actor.role === 'finance') return false
  if (actor.role === 'admin' || activity.author_id === actor.id) return true
  if (actor.role !== 'manager') return false
  return linkedOwners.some((o) => o.owner_id === actor.id || (!!actor.teamId && !!o.owner_id && o.ownerTeamId === actor.teamId))
}

/**
 * One page of a record's activities, newest first. An organisation's timeline also holds
 * what was logged on its contacts and deals this user can see.
 *
 * @example const timeline = await loadTimeline(auth, { organisationId: id }, url.searchParams.get('activites'))
 */
export async function loadTimeline(auth: Auth, target: TimelineTarget, rawCursor: string | null): Promise<Timeline> {
  const cursor = decodeCursor(rawCursor)
  let q = auth.tenant
    .selectFrom('activities')
    .leftJoin('users as author', 'author.id', 'activities.author_id')
    .select([
      'activities.id',
      'activities.kind',
      'activities.subject',
      'activities.body',
      'activities.occurred_at',
      'activities.duration_minutes',
      'activities.organisation_id',
      'activities.contact_id',
      'activities.deal_id',
      'activities.author_id',
      'author.full_name as author_name',
    ])
    .where('activities.deleted_at', 'is', null)
  if ('contactId' in target) q = q.where('activities.contact_id', '=', target.contactId)
  else if ('dealId' in target) q = q.where('activities.deal_id', '=', target.dealId)
  else {
    const orgId = target.organisationId
    q = q.where((eb) =>
      eb.or([
        eb('activities.organisation_id', '=', orgId),
        eb(
          'activities.contact_id',
          'in',
          auth.tenant
            .selectFrom('contacts')
            .select('contacts.id')
            .where('contacts.organisation_id', '=', orgId)
            .where('contacts.deleted_at', 'is', null)
            .where(visibleTo(auth.actor, 'contacts')),
        ),
        eb(
          'activities.deal_id',
          'in',
          auth.tenant
            .selectFrom('deals')
            .select('deals.id')
            .where('deals.organisation_id', '=', orgId)
            .where('deals.deleted_at', 'is', null)
            .where(visibleTo(auth.actor, 'deals')),
        ),
      ]),
    )
  }
  if (cursor) q = q.where(sql<boolean>`(activities.occurred_at, activities.id) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)`)
  const rows = await q
    .orderBy('activities.occurred_at', 'desc')
    .orderBy('activities.id', 'desc')
    .limit(TIMELINE_PAGE_SIZE + 1)
    .execute()
  const page = rows.slice(0, TIMELINE_PAGE_SIZE)

  // Names of the contacts and deals mentioned, only those this user may see.
  const [links, owners] = await Promise.all([
    linkedNames(auth, page, ['contact', 'deal']),
    auth.actor.role === 'manager' ? ownersOfLinkedRecords(auth, page) : Promise.resolve(new Map<string, Owner>()),
  ])
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      body: r.body,
      occurredAt: new Date(r.occurred_at).toISOString(),
      durationMinutes: r.duration_minutes,
      authorName: r.author_name,
      contact: links.get(r.id)?.contact ?? null,
      deal: ((d) => (d ? { id: d.id, title: d.name } : null))(links.get(r.id)?.deal),
      canChange: canChangeActivity(
        auth.actor,
        r,
        [r.organisation_id, r.contact_id, r.deal_id].flatMap((id) => (id && owners.has(id) ? [owners.get(id)!] : [])),
      ),
    })),
    nextCursor:
      rows.length > TIMELINE_PAGE_SIZE ? encodeCursor({ occurred_at: new Date(page[page.length - 1].occurred_at), id: page[page.length - 1].id }) : null,
    paged: !!cursor,
  }
}

/** Owners (and their teams) of the records a page of activities is attached to, by record id. */
async function ownersOfLinkedRecords(auth: Auth, rows: { organisation_id: string | null; contact_id: string | null; deal_id: string | null }[]) {
  const ids = (k: 'organisation_id' | 'contact_id' | 'deal_id') => [...new Set(rows.map((r) => r[k]).filter((x): x is string => !!x))]
  const load = async (table: 'organisations' | 'contacts' | 'deals', list: string[]) => {
    if (!list.length) return []
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kysely cannot type a join on a table name chosen at run time among three; the row type is asserted below
    return (auth.tenant.selectFrom(table) as any)
      .leftJoin('users as owner', 'owner.id', `${table}.owner_id`)
      .select([`${table}.id as id`, `${table}.owner_id as owner_id`, 'owner.team_id as team_id'])
      .where(`${table}.id`, 'in', list)
      .execute() as Promise<{ id: string; owner_id: string | null; team_id: string | null }[]>
  }
  const found = (await Promise.all([load('organisations', ids('organisation_id')), load('contacts', ids('contact_id')), load('deals', ids('deal_id'))])).flat()
  return new Map<string, Owner>(found.map((r) => [r.id, { owner_id: r.owner_id, ownerTeamId: r.team_id }]))
}

/**
 * An activity this user may see (one of its records is visible to them), with the records
 * it is attached to and whether they may change it; null means 404.
 */
export async function findVisibleActivity(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const activity = await auth.tenant
    .selectFrom('activities')
    .selectAll('activities')
    .where('activities.id', '=', id)
    .where('activities.deleted_at', 'is', null)
    .executeTakeFirst()
  if (!activity) return null
  const [organisation, contact, deal] = await Promise.all([
    activity.organisation_id ? findVisibleOrganisation(auth, activity.organisation_id) : null,
    activity.contact_id ? findVisibleContact(auth, activity.contact_id) : null,
    activity.deal_id ? findVisibleDeal(auth, activity.deal_id) : null,
  ])
  // Reached through an organisation's contact or deal, it is on that organisation's timeline.
  if (!organisation && !contact && !deal) return null
  const owners = [organisation, contact, deal].flatMap((r) => (r ? [{ owner_id: r.owner_id, ownerTeamId: r.owner_team_id }] : []))
  return { activity, organisation, contact, deal, canChange: canChangeActivity(auth.actor, activity, owners) }
}

/** The page an activity belongs to: its deal, else its contact, else its organisation. */
export function recordPathOf(a: { organisation_id: string | null; contact_id: string | null; deal_id: string | null }): string {
  if (a.deal_id) return `/deals/${a.deal_id}`
  if (a.contact_id) return `/contacts/${a.contact_id}`
  if (a.organisation_id) return `/organisations/${a.organisation_id}`
  return '/'
}

/** The activity form's shape (parseForm): the kind one of the domain's, the rest checked below and by the domain. */
export const activityFormSchema = z.object({
  kind: field.oneOf(ACTIVITY_KINDS, 'activity.kind.unknown'),
  subject: field.text(),
  body: field.optionalText(),
  occurred_at: field.text(),
  duration_minutes: field.text(),
  organisation_id: field.optionalText(),
  contact_id: field.optionalText(),
  deal_id: field.optionalText(),
})
export type ActivityForm = z.output<typeof activityFormSchema>

/**
 * The activity form's fields as the command takes them, plus the errors only the web
 * form makes (a date-time that is not one). The date is typed in Paris time.
 */
export function readActivityFields(form: ActivityForm, t: TFunction): { fields: ActivityFields; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const when = parisLocalToUtc(form.occurred_at)
  if (!when) errors.occurred_at = t('date.invalid')
  const duration = form.duration_minutes
  return {
    fields: {
      kind: form.kind,
      subject: form.subject,
      body: form.body,
      // A valid placeholder when the date did not parse: the errors stop the command.
      occurred_at: (when ?? new Date()).toISOString(),
      duration_minutes: duration === '' ? null : /^\d+$/.test(duration) ? Number(duration) : Number.NaN,
      organisation_id: form.organisation_id,
      contact_id: form.contact_id,
      deal_id: form.deal_id,
    },
    errors,
  }
}

/**
 * Everything a record page needs for its "Activités" section: the timeline page asked for
 * (`?activites=`) and, for those who may log, the log form's links and defaults.
 *
 * @example const activities = await activitiesSection(auth, request, { dealId: deal.id })
 */
export async function activitiesSection(auth: Auth, request: Request, target: TimelineTarget) {
  const url = new URL(request.url)
  const timeline = await loadTimeline(auth, target, url.searchParams.get(TIMELINE_PARAM))
  const links =
    'contactId' in target ? { contact_id: target.contactId } : 'dealId' in target ? { deal_id: target.dealId } : { organisation_id: target.organisationId }
  return {
    timeline,
    log: canCreateCrmRecords(auth.actor)
      ? { links, redirectTo: url.pathname.replace(/\.data$/, ''), commandId: randomUUID(), now: toParisLocalInput(auth.now()) }
      : null,
  }
}
