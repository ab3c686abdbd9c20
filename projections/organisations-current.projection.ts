import type { OrganisationCreated, OrganisationDeleted, OrganisationMergedInto, OrganisationsMerged, OrganisationUpdated } from '../domain/crm/organisation.js'
import { chTime, fromChTime, type ProjectedEvent } from './projected-event.js'

// organisations_current: one row per organisation, folded from its stream like deals.

export const ORGANISATIONS_CURRENT_TABLE = 'organisations_current'

export type OrganisationCurrentRow = {
  workspace_id: string
  organisation_id: string
  name: string
  status: string
  sector: string | null
  city: string | null
  size: string | null
  siren: string | null
  owner_id: string | null
  created_at: string
  updated_at: string
  deleted: boolean
  deleted_at: string | null
  version: number
}

const FIELDS = ['name', 'status', 'sector', 'city', 'size', 'siren', 'owner_id'] as const

/** The organisation row after one more event of its stream (null before creation). Copies, never spreads (see foldDeal). */
export function foldOrganisation(row: OrganisationCurrentRow | null, e: ProjectedEvent): OrganisationCurrentRow | null {
  switch (e.type) {
    case 'OrganisationCreated': {
      const d = e.data as OrganisationCreated['data']
      const when = chTime(d.at)!
      return {
        workspace_id: e.workspace_id,
        organisation_id: e.stream_id,
        name: d.name,
        status: d.status,
        sector: d.sector ?? null,
        city: d.city ?? null,
        size: d.size ?? null,
        siren: d.siren ?? null,
        owner_id: d.owner_id ?? null,
        created_at: when,
        updated_at: when,
        deleted: false,
        deleted_at: null,
        version: e.stream_version,
      }
    }
    // The kept record of a merge takes the values chosen from the other one.
    case 'OrganisationsMerged':
    case 'OrganisationUpdated': {
      const d = e.data as OrganisationUpdated['data'] | OrganisationsMerged['data']
      const next = copyOrganisation(need(row, e))
      const changes = d.changes as Record<string, unknown>
      for (const k of FIELDS) if (k in changes) (next as Record<string, unknown>)[k] = changes[k] ?? null
      next.updated_at = chTime(d.at)!
      next.version = e.stream_version
      return next
    }
    // Merged away: it leaves the analytics like a deleted one (its deals moved by their own events).
    case 'OrganisationMergedInto':
    case 'OrganisationDeleted': {
      const when = chTime((e.data as OrganisationDeleted['data'] | OrganisationMergedInto['data']).at)!
      const next = copyOrganisation(need(row, e))
      next.deleted = true
      next.deleted_at = when
      next.updated_at = when
      next.version = e.stream_version
      return next
    }
    default: {
      if (!row) return null
      const next = copyOrganisation(row)
      next.version = e.stream_version
      return next
    }
  }
}

function copyOrganisation(r: OrganisationCurrentRow): OrganisationCurrentRow {
  return {
    workspace_id: r.workspace_id,
    organisation_id: r.organisation_id,
    name: r.name,
    status: r.status,
    sector: r.sector,
    city: r.city,
    size: r.size,
    siren: r.siren,
    owner_id: r.owner_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
    deleted: r.deleted,
    deleted_at: r.deleted_at,
    version: r.version,
  }
}

function need(row: OrganisationCurrentRow | null, e: ProjectedEvent): OrganisationCurrentRow {
  if (!row) throw new Error(`Organisation ${e.stream_id} : ${e.type} (version ${e.stream_version}) sans création préalable`)
  return row
}

export function organisationRowFromClickHouse(r: Record<string, unknown>): OrganisationCurrentRow {
  const t = (v: unknown) => (v === null ? null : fromChTime(String(v))!.toISOString())
  const row = copyOrganisation(r as OrganisationCurrentRow)
  row.version = Number(r.version)
  row.deleted = Boolean(r.deleted)
  row.created_at = t(r.created_at)!
  row.updated_at = t(r.updated_at)!
  row.deleted_at = t(r.deleted_at)
  return row
}
