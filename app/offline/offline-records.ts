import type { OfflineDeal, QueueEntry, QueuedChange, WorkingSet } from './types'

// What the offline views share: the working set with this person's queue, and a deal as the
// rep sees it — the device's copy with their unsent changes laid over it.

export type Ctx = { set: WorkingSet; queue: QueueEntry[]; add: (c: QueuedChange) => Promise<void> }

export function dealWithPending(ctx: Pick<Ctx, 'queue'>, d: OfflineDeal): OfflineDeal & { pending: boolean; stagePending: boolean } {
  let out = { ...d, pending: false, stagePending: false }
  for (const e of ctx.queue) {
    if (e.state === 'rejected' || !('id' in e.payload) || e.payload.id !== d.id) continue
    if (e.kind === 'deal-update') out = { ...out, ...e.payload.fields, pending: true } as typeof out
    if (e.kind === 'deal-stage') out = { ...out, stage: e.payload.stage, pending: true, stagePending: true }
  }
  return out
}
