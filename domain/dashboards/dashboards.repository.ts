import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { Repository } from '../shared/run-command.js'
import type { Goal, Role } from '../../db/schema.js'
import { LAYOUT_STREAM, type LayoutState } from './layout.js'
import { GOAL_STREAM } from './goal.js'
import { parseWidgets, templateFor, type Widget } from './widgets.js'

/**
 * The id of a user's layout row, which is also its event stream's id: derived from the
 * workspace and the user (a name-based UUID), so the first save of two tabs at once
 * collides on the primary key instead of making two layouts.
 */
export function layoutIdFor(workspaceId: string, userId: string): string {
  const h = createHash('sha1').update(`alforis:dashboard-layout:${workspaceId}:${userId}`).digest()
  h[6] = (h[6] & 0x0f) | 0x50 // version 5
  h[8] = (h[8] & 0x3f) | 0x80 // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

const toLayout = (r: {
  id: string
  workspace_id: string
  user_id: string
  widgets: unknown
  version: number
  created_at: Date
  updated_at: Date
}): LayoutState => ({
  ...r,
  widgets: parseWidgets(r.widgets),
})

// A JS array sent as a parameter would be encoded as a Postgres array: send text, cast.
const jsonb = (v: unknown) => sql`cast(cast(${JSON.stringify(v)} as text) as jsonb)`

export const layoutRepository: Repository<LayoutState> = {
  streamType: LAYOUT_STREAM,
  load: (trx, ws, id) =>
    trx
      .selectFrom('dashboard_layouts')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
      .then((r) => (r ? toLayout(r) : null)),
  insert: async (trx, s) => {
    await trx
      .insertInto('dashboard_layouts')
      .values({ ...s, widgets: jsonb(s.widgets) })
      .execute()
  },
  update: async (trx, s, expected) => {
    const r = await trx
      .updateTable('dashboard_layouts')
      .set({ widgets: jsonb(s.widgets), version: s.version, updated_at: s.updated_at })
      .where('id', '=', s.id)
      .where('workspace_id', '=', s.workspace_id)
      .where('version', '=', expected)
      .executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}

export type UserLayout = { widgets: Widget[]; version: number; fromTemplate: boolean }

/**
 * What a user's dashboard shows: their saved layout, or their role's template (version
 * 0, no row yet). Read by user AND workspace: a layout never crosses either.
 */
export async function loadUserLayout(db: Db, workspaceId: string, userId: string, role: Role): Promise<UserLayout> {
  const row = await db
    .selectFrom('dashboard_layouts')
    .select(['widgets', 'version'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return { widgets: templateFor(role), version: 0, fromTemplate: true }
  return { widgets: parseWidgets(row.widgets), version: row.version, fromTemplate: false }
}

export const goalRepository: Repository<Goal> = {
  streamType: GOAL_STREAM,
  load: (trx, ws, id) =>
    trx
      .selectFrom('goals')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
      .then((r) => r ?? null),
  insert: async (trx, s) => {
    await trx.insertInto('goals').values(s).execute()
  },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = s
    const r = await trx
      .updateTable('goals')
      .set(rest)
      .where('id', '=', id)
      .where('workspace_id', '=', workspace_id)
      .where('version', '=', expected)
      .executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}
