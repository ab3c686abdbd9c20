import type { MessageKey } from '~/i18n/i18n'
import { formatDateTime } from '~/utils/format'

// What the run log shows for what the engine records in its own terms: the trigger kind
// (never the event's type name, e.g. DealStageChanged) and instants in Paris time (never
// the raw UTC text the steps' inputs and decisions keep).

/** "Une affaire change d’étape" for a run of kind deal.stage_changed (the editor's own label). */
export const triggerKindLabel = (t: (k: MessageKey) => string, kind: string) => t(`wf.trigger.${kind}` as MessageKey)

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g

/** Every UTC instant in a text, as Paris date and time ("reprise le 18/06/2026 09:00"). */
export const parisTimesIn = (text: string) => text.replace(ISO_INSTANT, (iso) => formatDateTime(iso))

/** A step's recorded input or output as indented JSON, its instants in Paris time. */
export const logJson = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'string' ? parisTimesIn(x) : x), 2)

/** A run's trigger payload for the log: an event's data without its type name; webhooks, schedules and inactivity as recorded. */
export function payloadForDisplay(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object' || !('event' in payload)) return payload
  const { event, ...rest } = payload as { event?: { data?: unknown } }
  return { ...rest, ...(event?.data && typeof event.data === 'object' ? (event.data as object) : {}) }
}
