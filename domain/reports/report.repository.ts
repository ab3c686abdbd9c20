import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { ReportSharing } from '../../db/schema/reports.js'
import type { Actor } from '../identity/roles.js'
import { CHART_KINDS, isDimension, isMetric, type ReportSpec } from './report-spec.js'

// Saved reports. Who may open one: its owner; the owner's team when shared with the team;
// everyone in the workspace when shared with it. Only the owner (or an admin) changes or
// deletes it. Opening a report never widens what the figures show: the app runs it in the
// viewer's scope (projections/queries/report.ts).

export type SavedReport = { id: string; name: string; ownerId: string; ownerName: string; sharing: ReportSharing; spec: ReportSpec; updatedAt: Date }

export const isSharing = (v: unknown): v is ReportSharing => v === 'prive' || v === 'equipe' || v === 'espace'

/** A stored spec read back defensively: anything not in the whitelists is dropped. */
export function specFrom(raw: unknown): ReportSpec {
  const o = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {})) as Record<string, unknown>
  const list = (v: unknown) => (Array.isArray(v) ? v : [])
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null)
  return {
    metrics: list(o.metrics).filter(isMetric),
    dimensions: list(o.dimensions).filter(isDimension).slice(0, 2),
    from: String(o.from ?? ''),
    to: String(o.to ?? ''),
    compare: o.compare === true,
    teamId: str(o.teamId),
    ownerId: str(o.ownerId),
    category: str(o.category),
    region: str(o.region),
    chart: CHART_KINDS.includes(o.chart as ReportSpec['chart']) ? (o.chart as ReportSpec['chart']) : 'tableau',
    sortBy: isMetric(o.sortBy) ? o.sortBy : null,
    top: typeof o.top === 'number' && Number.isInteger(o.top) ? o.top : null,
  }
}

// A jsonb parameter sent as text and cast: postgres.js would otherwise send the JSON as a string scalar.
const asJsonb = (v: unknown) => sql<string>`cast(${JSON.stringify(v)} as jsonb)`

function visible(db: Db, actor: Actor) {
  return db
    .selectFrom('reports')
    .innerJoin('users', 'users.id', 'reports.owner_id')
    .select([
      'reports.id',
      'reports.name',
      'reports.owner_id as ownerId',
      'users.full_name as ownerName',
      'reports.sharing',
      'reports.spec',
      'reports.updated_at as updatedAt',
    ])
    .where('reports.workspace_id', '=', actor.workspaceId)
    .where('reports.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('reports.owner_id', '=', actor.id),
        eb('reports.sharing', '=', 'espace'),
        ...(actor.teamId ? [eb.and([eb('reports.sharing', '=', 'equipe'), eb('reports.team_id', '=', actor.teamId)])] : []),
      ]),
    )
}

const toSaved = (r: { id: string; name: string; ownerId: string; ownerName: string; sharing: ReportSharing; spec: unknown; updatedAt: Date }): SavedReport => ({
  ...r,
  spec: specFrom(r.spec),
})

export async function listReports(db: Db, actor: Actor): Promise<SavedReport[]> {
  return (await visible(db, actor).orderBy('reports.name').execute()).map(toSaved)
}

export async function loadReport(db: Db, actor: Actor, id: string): Promise<SavedReport | null> {
  const r = await visible(db, actor).where('reports.id', '=', id).executeTakeFirst()
  return r ? toSaved(r) : null
}

export const mayEditReport = (actor: Actor, report: Pick<SavedReport, 'ownerId'>) => report.ownerId === actor.id || actor.role === 'admin'

/** Creates (no id) or updates a report; null when the actor may not change that one. */
export async function saveReport(
  db: Db,
  actor: Actor,
  input: { id?: string; name: string; sharing: ReportSharing; spec: ReportSpec },
  now: Date,
): Promise<string | null> {
  const teamId = input.sharing === 'equipe' ? actor.teamId : null
  const sharing = input.sharing === 'equipe' && !teamId ? 'prive' : input.sharing
  if (input.id) {
    const existing = await loadReport(db, actor, input.id)
    if (!existing || !mayEditReport(actor, existing)) return null
    await db
      .updateTable('reports')
      .set({ name: input.name, sharing, team_id: teamId, spec: asJsonb(input.spec), updated_at: now.toISOString() })
      .where('workspace_id', '=', actor.workspaceId)
      .where('id', '=', input.id)
      .execute()
    return input.id
  }
  const id = randomUUID()
  await db
    .insertInto('reports')
    .values({
      id,
      workspace_id: actor.workspaceId,
      owner_id: actor.id,
      name: input.name,
      sharing,
      team_id: teamId,
      spec: asJsonb(input.spec),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute()
  return id
}

export async function deleteReport(db: Db, actor: Actor, id: string, now: Date): Promise<boolean> {
  const existing = await loadReport(db, actor, id)
  if (!existing || !mayEditReport(actor, existing)) return false
  await db.updateTable('reports').set({ deleted_at: now }).where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute()
  return true
}
