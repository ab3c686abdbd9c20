import type { Quote, QuoteStatus } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'
import type { Discount } from './quote-totals.js'
import type { QuoteSnapshot } from './quote-snapshot.js'
import type { VatRate } from './vat.js'

export const QUOTE_STREAM = 'quote'

export const QUOTE_STATUSES: QuoteStatus[] = ['brouillon', 'envoye', 'accepte', 'refuse', 'expire']
export const QUOTE_STATUS_LABELS: Record<QuoteStatus, string> = {
  brouillon: 'Brouillon',
  envoye: 'Envoyé',
  accepte: 'Accepté',
  refuse: 'Refusé',
  expire: 'Expiré',
}
export const DEFAULT_VALIDITY_DAYS = 30

/**
 * One line of a quote. A catalogue line keeps the product's id and a COPY of its
 * description, unit, price and VAT taken when it was added: later catalogue changes
 * never alter a quote. A free-text line has no product_id.
 */
export type QuoteLine = {
  product_id: string | null
  code: string | null
  description: string
  unit: string | null
  /** Decimal string, up to 3 decimals ("2.5", "0.333"). */
  quantity: string
  /** HT, in cents. */
  unit_price_cents: number
  /** A line discount: % in basis points, or an amount in cents off the line's total. */
  discount: Discount | null
  vat_rate: VatRate
  /** Required at 0 %, null otherwise. */
  vat_exemption: string | null
}

/** What a person sets on a quote besides its lines: whom it is for and its conditions. */
export type QuoteFields = {
  organisation_id: string
  /** The recipient (and later the signer); required to send. */
  contact_id: string | null
  deal_id: string | null
  /** "Objet" of the quote. */
  title: string | null
  validity_days: number
  payment_terms: string | null
  notes: string | null
}

export type QuoteState = Omit<Quote, 'lines' | 'global_discount'> & { lines: QuoteLine[]; global_discount: Discount | null }

export type QuoteAmounts = { total_ht_cents: number; total_vat_cents: number; total_ttc_cents: number }

export type QuoteCreated = DomainEvent<
  'QuoteCreated',
  {
    id: string
    workspace_id: string
    at: string
    number: string
    year: number
    sequence: number
    created_by: string | null
    lines: QuoteLine[]
    global_discount: Discount | null
  } & QuoteFields &
    QuoteAmounts
>
export type QuoteUpdated = DomainEvent<'QuoteUpdated', { id: string; at: string; revision: number; changes: Partial<QuoteFields> }>
export type QuoteLinesChanged = DomainEvent<
  'QuoteLinesChanged',
  {
    id: string
    at: string
    revision: number
    lines: QuoteLine[]
    global_discount: Discount | null
  } & QuoteAmounts
>
/** Editing a sent, refused or expired quote opens version n+1 as a draft; version n stays as sent. */
export type QuoteRevised = DomainEvent<'QuoteRevised', { id: string; at: string; from_revision: number; revision: number; from_status: QuoteStatus }>
/** The revision is frozen: `snapshot` is the document as sent, `sha256` the hash of its canonical JSON. */
export type QuoteSent = DomainEvent<
  'QuoteSent',
  {
    id: string
    at: string
    revision: number
    valid_until: string
    sha256: string
    snapshot: QuoteSnapshot
  } & QuoteAmounts
>
export type QuoteAccepted = DomainEvent<
  'QuoteAccepted',
  {
    id: string
    at: string
    revision: number
    sha256: string
    total_ht_cents: number
    deal_id: string | null
    signed_by: string | null
  }
>
export type QuoteRefused = DomainEvent<'QuoteRefused', { id: string; at: string; revision: number; reason: string | null }>
export type QuoteExpired = DomainEvent<'QuoteExpired', { id: string; at: string; revision: number; valid_until: string }>
export type QuoteEvent = QuoteCreated | QuoteUpdated | QuoteLinesChanged | QuoteRevised | QuoteSent | QuoteAccepted | QuoteRefused | QuoteExpired

/** "DEV-2026-0042": four digits at least, more past 9 999. */
export const quoteNumber = (year: number, sequence: number) => `DEV-${year}-${String(sequence).padStart(4, '0')}`

export function evolveQuote(state: QuoteState | null, event: QuoteEvent): QuoteState {
  switch (event.type) {
    case 'QuoteCreated': {
      const { at, ...d } = event.data
      const when = new Date(at)
      return {
        ...d,
        revision: 1,
        status: 'brouillon',
        sent_at: null,
        valid_until: null,
        sent_sha256: null,
        accepted_at: null,
        accepted_revision: null,
        signed_by: null,
        refused_at: null,
        refusal_reason: null,
        expired_at: null,
        version: 0,
        created_at: when,
        updated_at: when,
      }
    }
    case 'QuoteUpdated':
      return { ...state!, ...event.data.changes, updated_at: new Date(event.data.at) }
    case 'QuoteLinesChanged': {
      const { lines, global_discount, total_ht_cents, total_vat_cents, total_ttc_cents, at } = event.data
      return { ...state!, lines, global_discount, total_ht_cents, total_vat_cents, total_ttc_cents, updated_at: new Date(at) }
    }
    case 'QuoteRevised':
      return {
        ...state!,
        revision: event.data.revision,
        status: 'brouillon',
        sent_at: null,
        valid_until: null,
        sent_sha256: null,
        refused_at: null,
        refusal_reason: null,
        expired_at: null,
        updated_at: new Date(event.data.at),
      }
    case 'QuoteSent': {
      const { at, valid_until, sha256, total_ht_cents, total_vat_cents, total_ttc_cents } = event.data
      return {
        ...state!,
        status: 'envoye',
        sent_at: new Date(at),
        valid_until,
        sent_sha256: sha256,
        total_ht_cents,
        total_vat_cents,
        total_ttc_cents,
        updated_at: new Date(at),
      }
    }
    case 'QuoteAccepted':
      return {
        ...state!,
        status: 'accepte',
        deal_id: event.data.deal_id ?? state!.deal_id,
        accepted_at: new Date(event.data.at),
        accepted_revision: event.data.revision,
        signed_by: event.data.signed_by,
        updated_at: new Date(event.data.at),
      }
    case 'QuoteRefused':
      return { ...state!, status: 'refuse', refused_at: new Date(event.data.at), refusal_reason: event.data.reason, updated_at: new Date(event.data.at) }
    case 'QuoteExpired':
      return { ...state!, status: 'expire', expired_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
  }
}
