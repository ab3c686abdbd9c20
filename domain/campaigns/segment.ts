import { sql, type RawBuilder } from 'kysely'

// A campaign's audience: contacts of the workspace filtered like the lists (tags,
// owner, their organisation's sector, size, region (département from the postal code)
// and status). Every audience also excludes contacts without marketing consent, who
// refused marketing, or who are deleted or have no address; the suppression list is
// applied by the caller (and again at send time).

export type Segment = {
  tags?: string[]
  ownerId?: string
  sector?: string
  size?: string
  /** Département: the postal code's first two digits ("69"). */
  department?: string
  organisationStatus?: 'prospect' | 'client' | 'ancien_client'
}

/** The condition on `contacts ct` for a segment (values bound as parameters, never concatenated). */
export function audienceFilter(s: Segment, workspaceId: string): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [
    sql`ct.workspace_id = ${workspaceId}`,
    sql`ct.deleted_at is null`,
    sql`ct.gdpr_consent`,
    sql`not ct.marketing_opt_out`,
    sql`cardinality(ct.emails) > 0`,
  ]
  if (s.tags?.length) parts.push(sql`ct.tags && ${s.tags}::text[]`)
  if (s.ownerId) parts.push(sql`ct.owner_id = ${s.ownerId}`)
  const org: RawBuilder<unknown>[] = []
  if (s.sector) org.push(sql`o.sector = ${s.sector}`)
  if (s.size) org.push(sql`o.size = ${s.size}`)
  if (s.department) org.push(sql`left(o.postal_code, 2) = ${s.department}`)
  if (s.organisationStatus) org.push(sql`o.status = ${s.organisationStatus}`)
  if (org.length)
    parts.push(
      sql`exists (select 1 from organisations o where o.id = ct.organisation_id and o.workspace_id = ct.workspace_id and o.deleted_at is null and ${sql.join(org, sql` and `)})`,
    )
  return sql.join(parts, sql` and `)
}
