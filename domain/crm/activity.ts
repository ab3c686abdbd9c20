import type { Activity, ActivityKind } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'

export type ActivityState = Activity

export const ACTIVITY_KINDS: ActivityKind[] = ['note', 'call', 'meeting', 'email']
export const ACTIVITY_LABELS: Record<ActivityKind, string> = { note: 'Note', call: 'Appel', meeting: 'Rendez-vous', email: 'E-mail' }

export type ActivityFields = {
  kind: ActivityKind
  subject: string
  body: string | null
  occurred_at: string
  duration_minutes: number | null
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
}

export type ActivityLogged = DomainEvent<'ActivityLogged', { id: string; workspace_id: string; at: string; author_id: string | null } & ActivityFields>
export type ActivityUpdated = DomainEvent<'ActivityUpdated', { id: string; at: string; changes: Partial<ActivityFields> }>
export type ActivityDeleted = DomainEvent<'ActivityDeleted', { id: string; at: string }>
export type ActivityEvent = ActivityLogged | ActivityUpdated | ActivityDeleted

export const ACTIVITY_STREAM = 'activity'

export function evolveActivity(state: ActivityState | null, event: ActivityEvent): ActivityState {
  switch (event.type) {
    case 'ActivityLogged': {
      const { at, occurred_at, ...d } = event.data
      return { ...d, occurred_at: new Date(occurred_at), version: 0, created_at: new Date(at), updated_at: new Date(at), deleted_at: null }
    }
    case 'ActivityUpdated': {
      const { occurred_at, ...changes } = event.data.changes
      return { ...state!, ...changes, ...(occurred_at ? { occurred_at: new Date(occurred_at) } : {}), updated_at: new Date(event.data.at) }
    }
    case 'ActivityDeleted':
      return { ...state!, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
  }
}
