import { evolveActivity, type ActivityEvent, type ActivityState } from '../domain/crm/activity.js'
import { logActivity } from '../domain/crm/activity.decide.js'
import type { ActivityKind } from '../db/schema.js'
import { ACTIVITY_BODIES, ACTIVITY_SUBJECTS } from './catalogue.js'
import type { GeneratedDeal } from './demo-deals.js'
import { entityId, streamRng } from './prng.js'
import { DAY, officeHours } from './seed-time.js'
import type { SeedStream } from './seed-stream.js'

export type GeneratedActivity = SeedStream<ActivityState, ActivityEvent>

// How long a deal still open at asOf has been worked on, at most, for spreading its activities.
const OPEN_SPAN = 150 * DAY

/**
 * The calls, meetings, e-mails and notes the owner logged on deal number `index` over
 * its life (creation to close, or to `asOf` while open): `perDeal` on average, the
 * first a discovery call, each linked to the deal, its company and one of the company's
 * contacts, through the domain's decide and evolve. Its own random stream.
 *
 * @example generateActivities(42, workspaceId, deal, 812, contactIds, asOf, 5)
 */
export function generateActivities(
  seed: number,
  workspaceId: string,
  deal: GeneratedDeal,
  index: number,
  contactIds: readonly string[],
  asOf: number,
  perDeal: number,
): GeneratedActivity[] {
  const state = deal.state
  if (!state || perDeal <= 0) return []
  const rng = streamRng(seed, 'activity', index)
  // Ids from their own streams (entityId): at most 64 activities per deal.
  const count = Math.min(64, rng.int(Math.max(1, perDeal - 3), perDeal + 3))
  const start = state.created_at.getTime()
  const end = Math.max(start, Math.min(asOf - 1, state.closed_at ? state.closed_at.getTime() : start + OPEN_SPAN))
  const times: number[] = []
  for (let k = 0; k < count; k++) times.push(Math.min(end, Math.max(start, officeHours(start + rng.next() * Math.max(0, end - start), rng))))
  times.sort((a, b) => a - b)
  const actorId = state.owner_id
  return times.map((at, k) => {
    const kind: ActivityKind =
      k === 0
        ? 'call'
        : rng.weighted([
            ['call', 35],
            ['email', 30],
            ['meeting', 20],
            ['note', 15],
          ] as const)
    const id = entityId(seed, 'activity', index * 64 + k)
    const stream: GeneratedActivity = { streamType: 'activity', streamId: id, state: null, events: [] }
    const now = new Date(at)
    const fields = {
      kind,
      subject: k === 0 ? 'Appel de découverte' : rng.pick(ACTIVITY_SUBJECTS[kind]),
      body: rng.chance(0.6) ? rng.pick(ACTIVITY_BODIES) : null,
      occurred_at: now.toISOString(),
      duration_minutes: kind === 'call' ? rng.int(5, 45) : kind === 'meeting' ? rng.pick([30, 45, 60, 90, 120]) : null,
      organisation_id: state.organisation_id,
      contact_id: contactIds.length ? rng.pick(contactIds) : null,
      deal_id: state.id,
    }
    for (const e of logActivity(null, { id, fields }, { workspaceId, actorId, now, source: 'seed' })) {
      stream.state = evolveActivity(stream.state, e)
      stream.events.push({ event: e, at: now, actorId })
    }
    stream.state!.version = stream.events.length
    return stream
  })
}
