// The rep's offline working set and write queue: the shapes the server sends
// (app/routes/offline_.working-set.ts), IndexedDB keeps (store.ts) and the offline pages read.

export type OfflineOrganisation = {
  id: string
  name: string
  city: string | null
  status: 'prospect' | 'client' | 'ancien_client'
  siren: string | null
  version: number
  // What the online page's "Fiche" card shows (optional: a set stored by an older version lacks them).
  siret?: string | null
  vat_number?: string | null
  address?: string | null
  postal_code?: string | null
  sector?: string | null
  size?: string | null
  phone?: string | null
  email?: string | null
  website?: string | null
  owner_name?: string | null
  tags?: string[]
  notes?: string | null
}
export type OfflineDeal = {
  id: string
  title: string
  organisation_id: string
  organisation_name: string
  amount_cents: number
  stage: string
  expected_close_date: string | null
  version: number
}
export type OfflineContact = {
  id: string
  first_name: string
  last_name: string
  job_title: string | null
  emails: string[]
  phones: string[]
  organisation_id: string | null
  version: number
  tags?: string[]
  notes?: string | null
}
export type OfflineTask = {
  id: string
  title: string
  due_at: string | null
  all_day: boolean
  priority: string
  status: string
  organisation_id: string | null
  deal_id: string | null
  contact_id: string | null
  version: number
}
export type OfflineActivity = {
  id: string
  kind: string
  subject: string
  body: string | null
  occurred_at: string
  organisation_id: string | null
  deal_id: string | null
  contact_id: string | null
  author_name: string | null
}
export type OfflineStage = { code: string; label: string; kind: 'open' | 'won' | 'lost'; probability?: number }

export type WorkingSet = {
  /** `<workspace id>:<user id>`: one person in one workspace (a shared phone holds at most one). */
  key: string
  user: { id: string; fullName: string; workspaceId: string; workspaceName: string }
  generatedAt: string
  /** Past this instant the set is not shown, even offline: the session it came with is over. */
  sessionExpiresAt: string
  /** For replaying the queue (same session). */
  csrf: string
  stages: OfflineStage[]
  organisations: OfflineOrganisation[]
  deals: OfflineDeal[]
  contacts: OfflineContact[]
  tasks: OfflineTask[]
  activities: OfflineActivity[]
}

/** The deal fields a rep may change offline (and that a conflict compares). */
export type DealEditable = { title: string; amount_cents: number; expected_close_date: string | null }

/** The record as the server holds it now, for the fields a conflict compares (a deal's, or a task's date). */
export type ConflictFields = Partial<DealEditable & { stage: string; due_at: string | null }>

/** One change made offline, replayed to POST /offline/sync. */
export type QueuedChange =
  | {
      kind: 'activity'
      payload: {
        id: string
        kind: 'note' | 'call' | 'meeting'
        subject: string
        body: string | null
        occurred_at: string
        organisation_id: string | null
        deal_id: string | null
        contact_id: string | null
      }
    }
  | { kind: 'task-complete'; payload: { id: string } }
  | { kind: 'task-create'; payload: { id: string; title: string; due_at: string | null; organisation_id: string | null; deal_id: string | null } }
  | {
      kind: 'task-reschedule'
      /** `from_due_at`: the date the device showed; another change of it meanwhile is a conflict. */
      payload: { id: string; version: number; due_at: string; from_due_at?: string | null }
    }
  | {
      kind: 'contact-create'
      payload: {
        id: string
        first_name: string
        last_name: string
        job_title: string | null
        emails: string[]
        phones: string[]
        organisation_id: string | null
      }
    }
  | { kind: 'deal-stage'; payload: { id: string; version: number; stage: string } }
  | { kind: 'deal-update'; payload: { id: string; version: number; fields: Partial<DealEditable> } }

/** What the server answers for one change. */
export type SyncAnswer =
  | { status: 'ok'; duplicate: boolean }
  | { status: 'conflict'; message: string; current: { version: number; fields: ConflictFields } }
  | { status: 'rejected'; message: string }

export type QueueEntry = QueuedChange & {
  /** Auto-increment: the replay order. */
  seq?: number
  userKey: string
  commandId: string
  createdAt: string
  state: 'pending' | 'conflict' | 'rejected'
  message?: string
  current?: Extract<SyncAnswer, { status: 'conflict' }>['current']
}
