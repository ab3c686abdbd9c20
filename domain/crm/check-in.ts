import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { CheckInPositionStatus } from '../../db/schema.js'
import { NotFoundError, ValidationError } from '../shared/errors.js'

// "Je suis arrivé" on a meeting: the time always, the position when the phone gave one
// (with its accuracy, so nobody reads a 2 km guess as an address). A row of its own
// (migration 2026-12-08-1502): checking in is not an edit of the meeting.

export const CHECK_IN_STATUSES: readonly CheckInPositionStatus[] = ['ok', 'denied', 'unavailable', 'timeout', 'unsupported']

export type CheckInPosition = { status: 'ok'; latitude: number; longitude: number; accuracyM: number } | { status: Exclude<CheckInPositionStatus, 'ok'> }

export type CheckIn = { id: string; userId: string; at: Date; position: CheckInPosition }

/** Form text → a position; coordinates out of range or missing make it "unavailable", never a wrong point. */
export function readCheckInPosition(input: {
  status?: string | null
  latitude?: string | null
  longitude?: string | null
  accuracy?: string | null
}): CheckInPosition {
  const status = CHECK_IN_STATUSES.includes(input.status as CheckInPositionStatus) ? (input.status as CheckInPositionStatus) : 'unsupported'
  if (status !== 'ok') return { status }
  const latitude = Number(input.latitude)
  const longitude = Number(input.longitude)
  const accuracyM = Number(input.accuracy)
  const valid =
    input.latitude?.trim() && input.longitude?.trim() && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 && Number.isFinite(accuracyM) && accuracyM >= 0
  return valid ? { status: 'ok', latitude, longitude, accuracyM } : { status: 'unavailable' }
}

/** Records an arrival on a meeting of the workspace. The caller has checked the user may see it. */
export async function recordCheckIn(
  db: Db,
  input: { workspaceId: string; activityId: string; userId: string; at: Date; position: CheckInPosition },
): Promise<CheckIn> {
  const activity = await db
    .selectFrom('activities')
    .select(['kind'])
    .where('workspace_id', '=', input.workspaceId)
    .where('id', '=', input.activityId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  if (!activity) throw new NotFoundError('activity.not_found')
  if (activity.kind !== 'meeting') throw new ValidationError({ kind: 'checkin.not_meeting' })
  const p = input.position
  const id = randomUUID()
  await db
    .insertInto('activity_check_ins')
    .values({
      id,
      workspace_id: input.workspaceId,
      activity_id: input.activityId,
      user_id: input.userId,
      checked_in_at: input.at,
      latitude: p.status === 'ok' ? p.latitude : null,
      longitude: p.status === 'ok' ? p.longitude : null,
      accuracy_m: p.status === 'ok' ? p.accuracyM : null,
      position_status: p.status,
    })
    .execute()
  return { id, userId: input.userId, at: input.at, position: p }
}

/** The arrivals on one meeting, newest first, with who checked in. */
export async function listCheckIns(db: Db, workspaceId: string, activityId: string) {
  const rows = await db
    .selectFrom('activity_check_ins as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.checked_in_at', 'c.latitude', 'c.longitude', 'c.accuracy_m', 'c.position_status', 'u.full_name'])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.activity_id', '=', activityId)
    .orderBy('c.checked_in_at', 'desc')
    .limit(20)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.full_name,
    at: r.checked_in_at,
    status: r.position_status,
    latitude: r.latitude,
    longitude: r.longitude,
    accuracyM: r.accuracy_m === null ? null : Math.round(r.accuracy_m),
  }))
}
