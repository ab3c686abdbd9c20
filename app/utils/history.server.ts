import { readStream } from '../../domain/shared/run-command'
import { fr, type MessageKey } from '../i18n/fr'
import type { Auth } from './auth.server'
import { userNames } from './visibility.server'

/** The record's events, newest first, as labelled lines (the caller already checked visibility). */
export async function historyOf(auth: Auth, streamId: string, stageLabel: (code: string) => string = (c) => c) {
  const [events, names] = await Promise.all([readStream(auth.tenant.db, auth.user.workspaceId, streamId), userNames(auth.tenant)])
  return events.reverse().map((e) => {
    const meta = e.meta as { actorId?: string | null }
    const data = e.data as { from?: string; to?: string; reopen_reason?: string | null; lost_reason?: string | null; status_change?: { by?: string } }
    const key = `history.${e.type}`
    let label = key in fr ? auth.t(key as MessageKey, { from: stageLabel(data.from ?? ''), to: stageLabel(data.to ?? '') }) : e.type
    // The won-deal rule's change says so: nobody clicked it (ADR 0035).
    if (data.status_change?.by === 'rule') label = auth.t('history.statusRuleWon')
    // A won deal taken out of its won stage says why (asked by the pipeline board).
    // A lost deal says why, where the team reviews its losses.
    if (e.type === 'DealStageChanged' && data.lost_reason) label = `${label} — ${auth.t('history.lostReason', { reason: data.lost_reason })}`
    if (data.reopen_reason) label = `${label} — ${auth.t('history.reopenReason', { reason: data.reopen_reason })}`
    return { position: e.position, label, actor: meta.actorId ? (names[meta.actorId] ?? null) : null, at: e.occurred_at }
  })
}
