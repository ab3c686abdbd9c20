import type { Db } from '../../db/kysely.js'
import type { ReminderStage } from '../../db/schema.js'
import { enqueueEmail, type MailQueue } from '../mail/enqueue-email.js'
import { DEFAULT_BRAND_COLOR } from '../sales/company-settings.rules.js'
import { formatPercentFr } from '../sales/money.js'
import type { CommandContext } from '../shared/events.js'
import { formatEuros } from '../shared/money.js'
import { addDays, daysBetween, parisDay } from '../shared/paris-time.js'
import { runCommand } from '../shared/run-command.js'
import { evolveInvoice } from './invoice.js'
import { recordReminder } from './invoice.decide.js'
import type { InvoiceDocument } from './invoice-document.js'
import { createInvoiceLink } from './invoice-link.js'
import { latePenaltyCents, RECOVERY_INDEMNITY_CENTS, remainingCents } from './invoice-rules.js'
import { invoiceRepository } from './invoice.repository.js'
import { loadInvoiceSettings } from './invoice-settings.js'
import { DOCUMENT_TITLES, frenchDay } from './invoice-send.js'

// Dunning (relances): J-3 a friendly reminder, J+7 a firm one, J+30 the formal notice
// (mise en demeure) with the late penalties and the €40 indemnity computed. Each e-mail
// once per invoice and stage: the (invoice_id, stage) row of invoice_reminders is claimed
// in the same transaction as the e-mail row and its job, so a pass run twice, or retried
// after a worker died mid-run, sends nothing twice. Paid, cancelled and paused invoices
// get nothing.

export const DUNNING_STAGES: { stage: ReminderStage; offsetDays: number; label: string }[] = [
  { stage: 'friendly', offsetDays: -3, label: 'Rappel amical (J-3)' },
  { stage: 'firm', offsetDays: 7, label: 'Relance ferme (J+7)' },
  { stage: 'formal', offsetDays: 30, label: 'Mise en demeure (J+30)' },
]
export const STAGE_LABELS: Record<ReminderStage, string> = { friendly: 'Rappel amical (J-3)', firm: 'Relance ferme (J+7)', formal: 'Mise en demeure (J+30)' }

/** The stage whose day has come on `today` for an invoice due on `due`: J-3 until the due day, J+7 until J+30, then J+30. */
export function dunningStageOn(due: string, today: string): ReminderStage | null {
  const d = daysBetween(due, today)
  if (d >= 30) return 'formal'
  if (d >= 7) return 'firm'
  if (d >= -3 && d < 0) return 'friendly'
  return null
}

export const DEFAULT_REMINDER_TEXTS: Record<ReminderStage, string> = {
  friendly:
    'Bonjour,\n\nPetit rappel : la {document} d’un montant de {montant} arrive à échéance le {echeance}. Si le règlement est déjà parti, merci de ne pas tenir compte de ce message.\n\nCordialement,\n{societe}',
  firm: 'Bonjour,\n\nSauf erreur de notre part, la {document} d’un montant de {montant}, échue le {echeance}, reste impayée. Merci de procéder à son règlement dans les meilleurs délais.\n\nCordialement,\n{societe}',
  formal:
    'Madame, Monsieur,\n\nMalgré nos relances, la {document}, échue le {echeance}, reste impayée pour un montant de {montant}. Par la présente, nous vous mettons en demeure de régler sous huit jours la somme de {montant}, majorée des pénalités de retard au taux de {taux} l’an, soit {penalites} à ce jour, et de l’indemnité forfaitaire pour frais de recouvrement de {indemnite} (articles L441-10 et D441-5 du Code de commerce), soit {total_du}.\n\nÀ défaut, nous engagerons une procédure de recouvrement.\n\n{societe}',
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m)

/**
 * The daily pass: every open issued invoice whose reminder day has come gets that
 * reminder, each in its own transaction. Returns what was sent and what failed (a failed
 * invoice is retried by the next run: its claim rolled back with it).
 */
export async function runDunning(db: Db, jobs: MailQueue | null, now: Date, opts: { workspaceId?: string } = {}) {
  const today = parisDay(now)
  let q = db
    .selectFrom('invoices')
    .select(['id', 'workspace_id', 'due_date', 'amount_due_cents', 'paid_cents', 'credited_cents', 'late_penalty_rate_bps', 'document'])
    .where('status', '=', 'emise')
    .where('type_code', '<>', '381')
    .where('dunning_paused', '=', false)
    .where('due_date', '<=', addDays(today, 3))
    .where((eb) => eb(eb.ref('paid_cents'), '<', eb(eb.ref('amount_due_cents'), '-', eb.ref('credited_cents'))))
  if (opts.workspaceId) q = q.where('workspace_id', '=', opts.workspaceId)
  const candidates = await q.orderBy('due_date').limit(10_000).execute()
  const sent: { invoiceId: string; stage: ReminderStage }[] = []
  const failed: { invoiceId: string; error: unknown }[] = []
  for (const inv of candidates) {
    const due = String(inv.due_date)
    const stage = dunningStageOn(due, today)
    const doc = inv.document as InvoiceDocument | null
    if (!stage || !doc?.buyer.email) continue
    try {
      const done = await db.transaction().execute(async (trx) => {
        const claim = await trx
          .insertInto('invoice_reminders')
          .values({ workspace_id: inv.workspace_id, invoice_id: inv.id, stage, sent_at: now })
          .onConflict((oc) => oc.columns(['invoice_id', 'stage']).doNothing())
          .returning('stage')
          .executeTakeFirst()
        if (!claim) return false
        // Re-read under lock: a payment or a pause committed since the list was read wins.
        const s = await invoiceRepository.load(trx, inv.workspace_id, inv.id)
        if (!s || s.status !== 'emise' || s.dunning_paused || remainingCents(s) === 0) {
          await trx.deleteFrom('invoice_reminders').where('invoice_id', '=', inv.id).where('stage', '=', stage).execute()
          return false
        }
        const remaining = remainingCents(s)
        const settings = await loadInvoiceSettings(trx, inv.workspace_id)
        const penalty = stage === 'formal' ? latePenaltyCents(remaining, s.late_penalty_rate_bps, due, today) : null
        const template =
          (stage === 'friendly' ? settings.reminder_friendly : stage === 'firm' ? settings.reminder_firm : settings.reminder_formal) ??
          DEFAULT_REMINDER_TEXTS[stage]
        const title = `${DOCUMENT_TITLES[doc.type_code]} ${doc.number}`
        const message = fill(template, {
          document: `${DOCUMENT_TITLES[doc.type_code].toLowerCase()} n° ${doc.number}`,
          montant: formatEuros(remaining),
          echeance: frenchDay(due),
          taux: formatPercentFr(s.late_penalty_rate_bps),
          penalites: formatEuros(penalty ?? 0),
          indemnite: formatEuros(RECOVERY_INDEMNITY_CENTS),
          total_du: formatEuros(remaining + (penalty ?? 0) + RECOVERY_INDEMNITY_CENTS),
          societe: doc.seller.name,
        })
        const link = await createInvoiceLink(trx, { workspaceId: inv.workspace_id, invoiceId: inv.id, recipient: doc.buyer.email, now })
        const subject =
          stage === 'formal'
            ? `Mise en demeure — ${title}`
            : stage === 'firm'
              ? `Relance — ${title} impayée`
              : `Rappel — ${title} à échéance le ${frenchDay(due)}`
        const mail = await enqueueEmail(trx, jobs, {
          workspaceId: inv.workspace_id,
          to: doc.buyer.email!,
          template: 'invoice',
          sender: { repName: null, company: doc.seller.name, replyTo: doc.seller.email },
          idempotencyKey: `invoice_reminder:${inv.id}:${stage}`,
          props: {
            subject,
            message,
            sellerName: doc.seller.name,
            brandColor: doc.seller.brand_color ?? DEFAULT_BRAND_COLOR,
            title,
            amountDue: formatEuros(remaining),
            dueDate: frenchDay(due),
            link: `/f/${link.token}`,
          },
        })
        await trx
          .updateTable('invoice_reminders')
          .set({ email_id: mail.id, penalty_cents: penalty })
          .where('invoice_id', '=', inv.id)
          .where('stage', '=', stage)
          .execute()
        const ctx: CommandContext = { workspaceId: inv.workspace_id, actorId: null, now, source: 'job' }
        await runCommand(trx, ctx, {
          type: 'RecordInvoiceReminder',
          repository: invoiceRepository,
          streamId: inv.id,
          decide: (st) => recordReminder(st, { stage, email_id: mail.id, to: doc.buyer.email!, penalty_cents: penalty }, ctx),
          evolve: evolveInvoice,
        })
        return true
      })
      if (done) sent.push({ invoiceId: inv.id, stage })
    } catch (error) {
      failed.push({ invoiceId: inv.id, error })
    }
  }
  if (failed.length)
    throw new AggregateError(
      failed.map((f) => f.error),
      `runDunning: ${failed.length} relances en échec (${failed.map((f) => f.invoiceId).join(', ')}), ${sent.length} envoyées`,
    )
  return { sent }
}
