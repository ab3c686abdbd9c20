import { createHash } from 'node:crypto'
import type { QuoteLine, QuoteState } from './quote.js'
import { computeTotals, type Discount, type DocumentTotals, type LineTotals } from './quote-totals.js'
import type { SellerLegalDetails } from './company-settings.rules.js'

// The document a customer receives when a quote is sent: everything the PDF and the
// e-signature need, copied at that moment (the organisation may move, the catalogue may
// change; the sent version does not). Stored in quote_versions and in the QuoteSent event.

export const SNAPSHOT_FORMAT = 'alforis/quote@1'

/** Who the quote is from and for, read when sending. */
export type QuoteParties = {
  /**
   * The workspace's legal identity when it was sent (company_settings), so the version's
   * PDF prints the same mentions, IBAN, logo and colour forever. sendQuoteCommand always
   * fills every field (null when unset); they are optional only for the shape's tests.
   */
  seller: { workspace_id: string; name: string } & Partial<SellerLegalDetails>
  customer: {
    organisation_id: string
    name: string
    siren: string | null
    siret: string | null
    vat_number: string | null
    address: string | null
    postal_code: string | null
    city: string | null
  }
  contact: {
    contact_id: string
    civility: string | null
    first_name: string
    last_name: string
    job_title: string | null
    email: string | null
  } | null
}

export type SnapshotLine = QuoteLine & LineTotals & { position: number }

export type QuoteSnapshot = {
  format: typeof SNAPSHOT_FORMAT
  quote_id: string
  number: string
  revision: number
  title: string | null
  /** The instant it was sent (ISO) and that day in Paris, the "date du devis". */
  issued_at: string
  issue_date: string
  validity_days: number
  /** Last day the offer can be accepted (Paris calendar). */
  valid_until: string
  currency: 'EUR'
  deal_id: string | null
  lines: SnapshotLine[]
  global_discount: Discount | null
  totals: Omit<DocumentTotals, 'lines'>
  payment_terms: string | null
  notes: string | null
} & QuoteParties

/**
 * JSON with sorted keys and no spaces (RFC 8785 / JCS for what we store: strings,
 * integers, booleans, null). Floats are refused: amounts are integer cents.
 *
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value)
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`canonicalJson: ${value} is not a safe integer`)
      return String(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
      // Default sort compares UTF-16 code units, as JCS requires.
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`)
  }
}

/** SHA-256 (hex) of the canonical JSON: the fingerprint a signature will be bound to. */
export const snapshotSha256 = (snapshot: unknown) => createHash('sha256').update(canonicalJson(snapshot), 'utf8').digest('hex')

export function buildQuoteSnapshot(state: QuoteState, parties: QuoteParties, at: { issuedAt: string; issueDate: string; validUntil: string }): QuoteSnapshot {
  const totals = computeTotals(state.lines, state.global_discount)
  const { lines: lineTotals, ...rest } = totals
  return {
    format: SNAPSHOT_FORMAT,
    quote_id: state.id,
    number: state.number,
    revision: state.revision,
    title: state.title,
    issued_at: at.issuedAt,
    issue_date: at.issueDate,
    validity_days: state.validity_days,
    valid_until: at.validUntil,
    currency: 'EUR',
    deal_id: state.deal_id,
    ...parties,
    lines: state.lines.map((l, i) => ({ position: i + 1, ...l, ...lineTotals[i] })),
    global_discount: state.global_discount,
    totals: rest,
    payment_terms: state.payment_terms,
    notes: state.notes,
  }
}
