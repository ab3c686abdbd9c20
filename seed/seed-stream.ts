import type { DomainEvent } from '../domain/shared/events.js'

/** One aggregate's generated history: its events with their historical time and actor, and the folded state. */
export type SeedStream<S, E extends DomainEvent> = {
  streamType: string
  streamId: string
  state: S | null
  events: { event: E; at: Date; actorId: string | null }[]
}
