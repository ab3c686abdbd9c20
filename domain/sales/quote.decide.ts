import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { addDays, parisDay } from '../shared/paris-time.js'
import { collectText } from '../shared/user-text.js'
import { parseQuantity } from './money.js'
import { DEFAULT_VALIDITY_DAYS, type QuoteEvent, type QuoteFields, type QuoteLine, type QuoteState } from './quote.js'
import { buildQuoteSnapshot, snapshotSha256, type QuoteParties } from './quote-snapshot.js'
import { computeTotals, type Discount, type DocumentTotals } from './quote-totals.js'
import { checkVat } from './vat.js'

// Text limits are in domain/shared/user-text (TEXT_LIMITS).
export const LINES_MAX = 500
export const VALIDITY_DAYS_MAX = 365

const ACCEPTED_IS_FINAL = 'quote.accepted_is_final'

/** Checks and normalises the quote's fields; throws a ValidationError with a code beside each field. */
export function validateQuoteFields(input: QuoteFields): QuoteFields {
  const errors: FieldProblems = {}
  if (!input.organisation_id) errors.organisation_id = 'organisation.required'
  const title = collectText(errors, 'title', input.title?.replace(/[ \u00a0]+/g, ' ') ?? null, 'title', (max) => ({
    code: 'subject.too_long',
    params: { max },
  }))
  const validity = input.validity_days ?? DEFAULT_VALIDITY_DAYS
  if (!Number.isInteger(validity) || validity < 1 || validity > VALIDITY_DAYS_MAX)
    errors.validity_days = { code: 'validity_days.range', params: { min: 1, max: VALIDITY_DAYS_MAX } }
  const paymentTerms = collectText(errors, 'payment_terms', input.payment_terms ?? null, 'terms', (max) => ({
    code: 'payment_terms.too_long',
    params: { max },
  }))
  const notes = collectText(errors, 'notes', input.notes ?? null, 'description', (max) => ({ code: 'quote.notes.too_long', params: { max } }))
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return {
    organisation_id: input.organisation_id,
    contact_id: input.contact_id || null,
    deal_id: input.deal_id || null,
    title,
    validity_days: validity,
    payment_terms: paymentTerms,
    notes,
  }
}

/** A zero discount is no discount; only the fields of its kind are kept. */
function normaliseDiscount(d: Discount | null | undefined): Discount | null {
  if (!d) return null
  if (d.kind === 'percent') return d.bps === 0 ? null : { kind: 'percent', bps: d.bps }
  if (d.kind === 'amount') return d.cents === 0 ? null : { kind: 'amount', cents: d.cents }
  return d // an unknown kind: computeTotals names the error
}

/**
 * Checks and normalises the lines and the global discount, and prices them. Field
 * errors are named `lines.<i>.<field>` (0-based) and `global_discount`.
 */
export function validateQuoteLines(
  lines: QuoteLine[],
  globalDiscount: Discount | null,
): { lines: QuoteLine[]; global_discount: Discount | null; totals: DocumentTotals } {
  const errors: FieldProblems = {}
  if (lines.length > LINES_MAX) throw new ValidationError({ lines: { code: 'quote.lines.max', params: { max: LINES_MAX } } })
  const cleaned = lines.map((l, i): QuoteLine => {
    const f = (name: string) => `lines.${i}.${name}`
    const description =
      collectText(errors, f('description'), l.description ?? '', 'line_label', (max) => ({ code: 'quote.line.description.too_long', params: { max } })) ?? ''
    if (!description) errors[f('description')] ??= 'quote.line.description.required'
    const unit = collectText(errors, f('unit'), l.unit ?? null, 'unit', (max) => ({ code: 'unit.too_long', params: { max } }))
    const code = collectText(errors, f('code'), l.code ?? null, 'code', (max) => ({ code: 'code.too_long', params: { max } }))
    const vat = checkVat(l.vat_rate, l.vat_exemption)
    const discount = normaliseDiscount(l.discount)
    return {
      product_id: l.product_id || null,
      code,
      description,
      unit,
      // Canonical text ("2,50" → "2.5"); a bad one is kept for computeTotals to name.
      quantity: parseQuantity(l.quantity)?.text ?? String(l.quantity ?? ''),
      unit_price_cents: l.unit_price_cents,
      discount,
      vat_rate: l.vat_rate,
      vat_exemption: vat.ok ? vat.exemption : (l.vat_exemption ?? null),
    }
  })
  const global = normaliseDiscount(globalDiscount)
  let totals: DocumentTotals | null = null
  try {
    totals = computeTotals(cleaned, global)
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e
    for (const [k, v] of Object.entries(e.fieldErrors)) errors[k] ??= v
  }
  if (Object.keys(errors).length || !totals) throw new ValidationError(errors)
  return { lines: cleaned, global_discount: global, totals }
}

const amounts = (t: DocumentTotals) => ({ total_ht_cents: t.total_ht_cents, total_vat_cents: t.total_vat_cents, total_ttc_cents: t.total_ttc_cents })

export function createQuote(
  state: QuoteState | null,
  cmd: { id: string; number: { number: string; year: number; sequence: number }; fields: QuoteFields; lines?: QuoteLine[]; globalDiscount?: Discount | null },
  ctx: CommandContext,
): QuoteEvent[] {
  if (state) throw new DomainError('quote.exists')
  const fields = validateQuoteFields(cmd.fields)
  const content = validateQuoteLines(cmd.lines ?? [], cmd.globalDiscount ?? null)
  return [
    {
      type: 'QuoteCreated',
      data: {
        id: cmd.id,
        workspace_id: ctx.workspaceId,
        at: ctx.now.toISOString(),
        ...cmd.number,
        created_by: ctx.actorId,
        ...fields,
        lines: content.lines,
        global_discount: content.global_discount,
        ...amounts(content.totals),
      },
    },
  ]
}

/**
 * What editing needs first: nothing on a draft; on a sent, refused or expired quote,
 * version n+1 opened as a draft (version n stays as it was sent). Never on an accepted one.
 */
function openForEditing(state: QuoteState, ctx: CommandContext): QuoteEvent[] {
  if (state.status === 'accepte') throw new DomainError(ACCEPTED_IS_FINAL, undefined, { status: 409 })
  if (state.status === 'brouillon') return []
  return [
    {
      type: 'QuoteRevised',
      data: { id: state.id, at: ctx.now.toISOString(), from_revision: state.revision, revision: state.revision + 1, from_status: state.status },
    },
  ]
}

/** "Créer une nouvelle version" without changing anything yet (re-issuing an expired quote). */
export function reviseQuote(state: QuoteState | null, ctx: CommandContext): QuoteEvent[] {
  if (!state) throw new NotFoundError('quote.not_found')
  return openForEditing(state, ctx)
}

export function updateQuote(state: QuoteState | null, cmd: { fields: QuoteFields }, ctx: CommandContext): QuoteEvent[] {
  if (!state) throw new NotFoundError('quote.not_found')
  if (state.status === 'accepte') throw new DomainError(ACCEPTED_IS_FINAL, undefined, { status: 409 })
  const fields = validateQuoteFields(cmd.fields)
  const changes: Partial<QuoteFields> = {}
  for (const k of Object.keys(fields) as (keyof QuoteFields)[]) {
    if (fields[k] !== state[k]) (changes as Record<string, unknown>)[k] = fields[k]
  }
  if (Object.keys(changes).length === 0) return []
  const opened = openForEditing(state, ctx)
  return [...opened, { type: 'QuoteUpdated', data: { id: state.id, at: ctx.now.toISOString(), revision: state.revision + opened.length, changes } }]
}

export function changeQuoteLines(state: QuoteState | null, cmd: { lines: QuoteLine[]; globalDiscount: Discount | null }, ctx: CommandContext): QuoteEvent[] {
  if (!state) throw new NotFoundError('quote.not_found')
  if (state.status === 'accepte') throw new DomainError(ACCEPTED_IS_FINAL, undefined, { status: 409 })
  const content = validateQuoteLines(cmd.lines, cmd.globalDiscount)
  if (JSON.stringify([content.lines, content.global_discount]) === JSON.stringify([state.lines, state.global_discount])) return []
  const opened = openForEditing(state, ctx)
  return [
    ...opened,
    {
      type: 'QuoteLinesChanged',
      data: {
        id: state.id,
        at: ctx.now.toISOString(),
        revision: state.revision + opened.length,
        lines: content.lines,
        global_discount: content.global_discount,
        ...amounts(content.totals),
      },
    },
  ]
}

/**
 * Freezes the current revision as sent: its snapshot (parties, lines, totals,
 * conditions) and the SHA-256 of its canonical JSON. Valid through the Paris day
 * `validity_days` after the day it is sent.
 */
export function sendQuote(state: QuoteState | null, cmd: { parties: QuoteParties }, ctx: CommandContext): QuoteEvent[] {
  if (!state) throw new NotFoundError('quote.not_found')
  if (state.status === 'accepte') throw new DomainError(ACCEPTED_IS_FINAL, undefined, { status: 409 })
  if (state.status === 'envoye') throw new DomainError({ code: 'quote.already_sent', params: { revision: state.revision } }, undefined, { status: 409 })
  if (state.status !== 'brouillon') throw new DomainError('quote.send.needs_new_version', undefined, { status: 409 })
  const errors: FieldProblems = {}
  if (state.lines.length === 0) errors.lines = 'quote.send.no_lines'
  if (!state.contact_id || !cmd.parties.contact) errors.contact_id = 'quote.send.no_contact'
  if (Object.keys(errors).length) throw new ValidationError(errors)
  const issueDate = parisDay(ctx.now)
  const validUntil = addDays(issueDate, state.validity_days)
  const snapshot = buildQuoteSnapshot(state, cmd.parties, { issuedAt: ctx.now.toISOString(), issueDate, validUntil })
  return [
    {
      type: 'QuoteSent',
      data: {
        id: state.id,
        at: ctx.now.toISOString(),
        revision: state.revision,
        valid_until: validUntil,
        sha256: snapshotSha256(snapshot),
        snapshot,
        total_ht_cents: snapshot.totals.total_ht_cents,
        total_vat_cents: snapshot.totals.total_vat_cents,
        total_ttc_cents: snapshot.totals.total_ttc_cents,
      },
    },
  ]
}

/**
 * The customer accepts (signs) the sent revision. `revision` (and `sha256` when the
 * signature platform gives it) must be the version in force: a signature of a replaced
 * version is refused. Accepting twice the same revision changes nothing.
 */
export function acceptQuote(
  state: QuoteState | null,
  cmd: { revision: number; sha256?: string | null; signedBy?: string | null; newDealId?: string | null },
  ctx: CommandContext,
): QuoteEvent[] {
  if (!state) throw new NotFoundError('quote.not_found')
  if (state.status === 'accepte') {
    if (state.accepted_revision === cmd.revision) return []
    throw new DomainError({ code: 'quote.already_accepted', params: { revision: state.accepted_revision! } }, undefined, { status: 409 })
  }
  if (state.status === 'brouillon') {
    throw new DomainError(state.revision > 1 ? { code: 'quote.revision.superseded', params: { revision: cmd.revision } } : 'quote.not_sent', undefined, {
      status: 409,
    })
  }
  if (state.status === 'refuse') throw new DomainError('quote.refused', undefined, { status: 409 })
  if (state.status === 'expire' || (state.valid_until && parisDay(ctx.now) > state.valid_until)) {
    throw new DomainError({ code: 'quote.expired', params: { date: { day: state.valid_until! } } }, undefined, { status: 409 })
  }
  if (cmd.revision !== state.revision || (cmd.sha256 && cmd.sha256 !== state.sent_sha256)) {
    throw new DomainError({ code: 'quote.revision.not_current', params: { revision: state.revision } }, undefined, { status: 409 })
  }
  const signedBy = cmd.signedBy?.trim().slice(0, 200) || null
  return [
    {
      type: 'QuoteAccepted',
      // A quote without a deal gets the one created for it on acceptance (newDealId).
      data: {
        id: state.id,
        at: ctx.now.toISOString(),
        revision: state.revision,
        sha256: state.sent_sha256!,
        total_ht_cents: state.total_ht_cents,
        deal_id: state.deal_id ?? cmd.newDealId ?? null,
        signed_by: signedBy,
      },
    },
  ]
}

export function refuseQuote(state: QuoteState | null, cmd: { reason?: string | null }, ctx: CommandContext): QuoteEvent[] {
  if (!state) throw new NotFoundError('quote.not_found')
  if (state.status === 'refuse') return []
  if (state.status === 'accepte') throw new DomainError(ACCEPTED_IS_FINAL, undefined, { status: 409 })
  if (state.status !== 'envoye') throw new DomainError('quote.refuse.not_sent', undefined, { status: 409 })
  const reason = refusalReason(cmd.reason)
  return [{ type: 'QuoteRefused', data: { id: state.id, at: ctx.now.toISOString(), revision: state.revision, reason } }]
}

/** A sent quote past its last valid day (Paris) expires; anything else is left alone (the job may run twice). */
export function expireQuote(state: QuoteState | null, ctx: CommandContext): QuoteEvent[] {
  if (!state) throw new NotFoundError('quote.not_found')
  if (state.status !== 'envoye' || !state.valid_until || parisDay(ctx.now) <= state.valid_until) return []
  return [{ type: 'QuoteExpired', data: { id: state.id, at: ctx.now.toISOString(), revision: state.revision, valid_until: state.valid_until } }]
}

/** A refusal's optional reason, cleaned; a ValidationError beside `reason` when it cannot be stored. */
export function refusalReason(raw: string | null | undefined): string | null {
  const errors: FieldProblems = {}
  const reason = collectText(errors, 'reason', raw ?? null, 'reason', (max) => ({ code: 'reason.too_long', params: { max } }))
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return reason
}
