import { readStream } from '../../domain/shared/run-command'
import type { ContractEvent } from '../../domain/contracts/contract'
import { mrrOn, mrrTimeline } from '../../domain/contracts/mrr'
import { parisDay } from '../../domain/shared/paris-time'
import type { Auth } from './auth.server'

// What the contract page shows beside the row: its versions and renewals (from its
// events), its automatic steps, its billing items and its MRR today.

export async function contractPageData(auth: Auth, id: string) {
  const [stored, steps, items] = await Promise.all([
    readStream(auth.tenant.db, auth.user.workspaceId, id),
    auth.tenant
      .selectFrom('contract_renewal_steps')
      .select(['step', 'status', 'attempts', 'detail', 'period_index', 'updated_at'])
      .where('contract_id', '=', id)
      .orderBy('updated_at', 'desc')
      .limit(50)
      .execute(),
    auth.tenant
      .selectFrom('billing_items')
      .select(['id', 'period_start', 'period_end', 'amount_cents', 'due_date', 'status'])
      .where('contract_id', '=', id)
      .orderBy('period_start', 'desc')
      .limit(24)
      .execute(),
  ])
  const events = stored.map((e) => ({ type: e.type, data: e.data }) as ContractEvent)
  const timeline = mrrTimeline(events)
  const today = parisDay(auth.now())
  const versions = events.flatMap((e) =>
    e.type === 'ContractCreated'
      ? [
          {
            number: 0,
            effective: e.data.start_date,
            changes: { unit_amount_cents: e.data.unit_amount_cents, quantity: e.data.quantity, end_date: e.data.end_date },
            reason: null as string | null,
          },
        ]
      : e.type === 'ContractAmended'
        ? [{ number: e.data.number, effective: e.data.effective_date, changes: e.data.changes, reason: e.data.reason }]
        : [],
  )
  type Renewal = { kind: 'renewed' | 'expired'; n: number; start: string; end: string; cents: number }
  const renewals = events.flatMap((e): Renewal[] =>
    e.type === 'ContractRenewed'
      ? [{ kind: 'renewed', n: e.data.period_index, start: e.data.start_date, end: e.data.end_date, cents: e.data.unit_amount_cents }]
      : e.type === 'ContractExpired'
        ? [{ kind: 'expired', n: 0, start: '', end: e.data.end_date, cents: 0 }]
        : [],
  )
  return { versions, renewals, steps, items, mrrToday: timeline ? mrrOn(timeline, today) : 0 }
}
