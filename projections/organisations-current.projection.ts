import type { OrganisationCreated, OrganisationDeleted, OrganisationFields, OrganisationUpdated } from '../domain/crm/organisation.js'
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

function pickFields(d: Partial<OrganisationFields>): Partial<Pick<OrganisationCurrentRow, (typeof FIELDS)[number]>> {
  const out: Record<string, unknown> = {}
  for (const k of FIELDS) if (k in d) out[k] = d[k] ?? null
  return out
}

/** The organisation row after one more event of its stream (null before creation). */
export function foldOrganisation(row: OrganisationCurrentRow | null, e: ProjectedEvent): OrganisationCurrentRow | null {
  switch (e.type) {
    case 'OrganisationCreated': {
      const d = e.data as OrganisationCreated['data']
      const when = chTime(d.at)!
      return {
        workspace_id: e.workspace_id, organisation_id: e.stream_id, name: d.name, status: d.status,
        sector: d.sector ?? null, city: d.city ?? null, size: d.size ?? null, siren: d.siren ?? null, owner_id: d.owner_id ?? null,
        created_at: when, updated_at: when, deleted: false, deleted_at: null, version: e.stream_version,
      }
    }
    case 'OrganisationUpdated': {
      const d = e.data as OrganisationUpdated['data']
      return { ...need(row, e), ...pickFields(d.changes), updated_at: chTime(d.at)!, version: e.stream_version }
    }
    case 'OrganisationDeleted': {
      const when = chTime((e.data as OrganisationDeleted['data']).at)!
      return { ...need(row, e), deleted: true, deleted_at: when, updated_at: when, version: e.stream_version }
    }
    default:
      return row && { ...row, version: e.stream_version }
  }
}

function need(row: OrganisationCurrentRow | null, e: ProjectedEvent): OrganisationCurrentRow {
  if (!row) throw new Error(`Organisation ${e.stream_id} : ${e.type} (version ${e.stream_version}) sans création préalable`)
  return row
}

export function organisationRowFromClickHouse(r: Record<string, unknown>): OrganisationCurrentRow {
  const t = (v: unknown) => (v === null ? null : fromChTime(String(v))!.toISOString())
  return {
    ...(r as OrganisationCurrentRow),
    version: Number(r.version),
    deleted: Boolean(r.deleted),
    created_at: t(r.created_at)!,
    updated_at: t(r.updated_at)!,
    deleted_at: t(r.deleted_at),
  }
}
