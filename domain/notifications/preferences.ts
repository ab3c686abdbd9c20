import type { Db } from '../../db/kysely.js'
import { type Channel, type ChannelPreference, NOTIFICATION_KINDS, type NotificationKind, type Preferences } from './kinds.js'

const defaults = (): Preferences =>
  Object.fromEntries(Object.entries(NOTIFICATION_KINDS).map(([k, v]) => [k, { email: v.email, in_app: v.in_app, push: v.push }])) as Preferences

/**
 * A user's choice per kind and channel: stored rows over the defaults of kinds.ts.
 *
 * @example const prefs = await preferencesFor(db, userId); if (prefs.task_reminder_j1.email) …
 */
export async function preferencesFor(db: Db, userId: string): Promise<Preferences> {
  const prefs = defaults()
  const rows = await db.selectFrom('notification_preferences').select(['kind', 'email', 'in_app', 'push']).where('user_id', '=', userId).execute()
  for (const r of rows) {
    // A kind that is not (or no longer) configurable keeps its defaults.
    if (r.kind in prefs && NOTIFICATION_KINDS[r.kind as NotificationKind].configurable)
      prefs[r.kind as NotificationKind] = { email: r.email, in_app: r.in_app, push: r.push ?? prefs[r.kind as NotificationKind].push }
  }
  return prefs
}

/** Whether `userId` wants `kind` on `channel`. */
export async function wants(db: Db, userId: string, kind: NotificationKind, channel: Channel): Promise<boolean> {
  return (await preferencesFor(db, userId))[kind][channel]
}

/** Stores the given kinds' choices (others untouched). Only configurable kinds are accepted. */
export async function setPreferences(
  db: Db,
  // `push` left out keeps what was stored (callers written before the push channel existed).
  input: { workspaceId: string; userId: string; preferences: Partial<Record<NotificationKind, Omit<ChannelPreference, 'push'> & { push?: boolean }>> },
): Promise<void> {
  const rows = Object.entries(input.preferences)
    .filter(([k]) => k in NOTIFICATION_KINDS && NOTIFICATION_KINDS[k as NotificationKind].configurable)
    .map(([kind, p]) => ({
      workspace_id: input.workspaceId,
      user_id: input.userId,
      kind,
      email: p!.email,
      in_app: p!.in_app,
      push: p!.push ?? null,
      updated_at: new Date(),
    }))
  if (rows.length === 0) return
  await db
    .insertInto('notification_preferences')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({
        email: eb.ref('excluded.email'),
        in_app: eb.ref('excluded.in_app'),
        push: eb.fn.coalesce('excluded.push', 'notification_preferences.push'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
}
