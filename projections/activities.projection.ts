import type { ActivityLogged, ActivityUpdated } from '../domain/crm/activity.js'
import { chTime, fromChTime, type ProjectedEvent } from './projected-event.js'

// activities: one row per activity (call, meeting, note, e-mail), folded from its
// stream. activity_timeline: the same activities ordered by when they happened, for the
// "recent activity" feed; an activity moved in time or deleted leaves a tombstone at its
// old place (ReplacingMergeTree(version, is_deleted): FINAL hides it).

export const ACTIVITIES_TABLE = 'activities'
export const ACTIVITY_TIMELINE_TABLE = 'activity_timeline'

export type ActivityRow = {
  workspace_id: string
  activity_id: string
  kind: string
  subject: string
  occurred_at: string
  author_id: string | null
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
  deleted: boolean
  version: number
}

export type ActivityTimelineRow = Omit<ActivityRow, 'deleted'> & { is_deleted: 0 | 1 }

const FIELDS = ['kind', 'subject', 'organisation_id', 'contact_id', 'deal_id'] as const

/**
 * The activity row after one more event of its stream (null before it was logged).
 *
 * @example foldActivity(null, activityLoggedEvent) // { kind: 'call', subject: 'Appel de découverte', version: 1, … }
 */
export function foldActivity(row: ActivityRow | null, e: ProjectedEvent): ActivityRow | null {
  switch (e.type) {
    case 'ActivityLogged': {
      const d = e.data as ActivityLogged['data']
      return {
        workspace_id: e.workspace_id,
        activity_id: e.stream_id,
        kind: d.kind,
        subject: d.subject,
        occurred_at: chTime(d.occurred_at)!,
        author_id: d.author_id ?? null,
        organisation_id: d.organisation_id ?? null,
        contact_id: d.contact_id ?? null,
        deal_id: d.deal_id ?? null,
        deleted: false,
        version: e.stream_version,
      }
    }
    case 'ActivityUpdated': {
      const changes = (e.data as ActivityUpdated['data']).changes as Record<string, unknown>
      const next = copy(need(row, e))
      for (const k of FIELDS) if (k in changes) (next as Record<string, unknown>)[k] = changes[k] ?? null
      if (typeof changes.occurred_at === 'string') next.occurred_at = chTime(changes.occurred_at)!
      next.version = e.stream_version
      return next
    }
    case 'ActivityDeleted': {
      const next = copy(need(row, e))
      next.deleted = true
      next.version = e.stream_version
      return next
    }
    default: {
      if (!row) return null
      const next = copy(row)
      next.version = e.stream_version
      return next
    }
  }
}

function copy(r: ActivityRow): ActivityRow {
  return {
    workspace_id: r.workspace_id,
    activity_id: r.activity_id,
    kind: r.kind,
    subject: r.subject,
    occurred_at: r.occurred_at,
    author_id: r.author_id,
    organisation_id: r.organisation_id,
    contact_id: r.contact_id,
    deal_id: r.deal_id,
    deleted: r.deleted,
    version: r.version,
  }
}

function need(row: ActivityRow | null, e: ProjectedEvent): ActivityRow {
  if (!row) throw new Error(`Activité ${e.stream_id} : ${e.type} (version ${e.stream_version}) sans création préalable`)
  return row
}

const timelineRow = (r: ActivityRow, version: number, isDeleted: 0 | 1): ActivityTimelineRow => ({
  workspace_id: r.workspace_id,
  activity_id: r.activity_id,
  kind: r.kind,
  subject: r.subject,
  occurred_at: r.occurred_at,
  author_id: r.author_id,
  organisation_id: r.organisation_id,
  contact_id: r.contact_id,
  deal_id: r.deal_id,
  version,
  is_deleted: isDeleted,
})

/**
 * The timeline rows an event writes: the activity at its time (new version), and a
 * tombstone where it was if it moved in time or was deleted.
 *
 * @example activityTimelineRows(logged, movedToFriday, updatedEvent) // [tombstone at Thursday, row at Friday]
 */
export function activityTimelineRows(before: ActivityRow | null, after: ActivityRow | null, _e: ProjectedEvent): ActivityTimelineRow[] {
  if (!after) return []
  const rows: ActivityTimelineRow[] = []
  if (before && !before.deleted && (before.occurred_at !== after.occurred_at || after.deleted)) rows.push(timelineRow(before, after.version, 1))
  if (!after.deleted) rows.push(timelineRow(after, after.version, 0))
  return rows
}

export function activityFromClickHouse(r: Record<string, unknown>): ActivityRow {
  const row = copy(r as ActivityRow)
  row.version = Number(r.version)
  row.deleted = Boolean(r.deleted)
  row.occurred_at = fromChTime(String(r.occurred_at))!.toISOString()
  return row
}
