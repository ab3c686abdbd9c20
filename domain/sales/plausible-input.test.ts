import { describe, expect, it } from 'vitest'
import { ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { createProduct } from './product.decide.js'
import type { ProductFields } from './product.js'
import { validateQuoteFields, validateQuoteLines } from './quote.decide.js'
import type { QuoteFields, QuoteLine } from './quote.js'
import { validateSendQuoteEmail } from './quote-link-send.js'

// Plausible values only in the sales commands: bounded amounts, bounded text without
// control characters (a label or a note ends up in a PDF and an e-mail).

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2026-03-29T09:00:00Z') }

function refusal(run: () => unknown): FieldProblems {
  try {
    run()
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error('accepted')
}

const product: ProductFields = {
  code: null,
  name: 'Journée de conseil',
  description: null,
  unit: 'jour',
  unit_price_cents: 85_000,
  vat_rate: 2000,
  vat_exemption: null,
  category: null,
}
const newProduct = (f: Partial<ProductFields>) => createProduct(null, { id: 'p-1', fields: { ...product, ...f } }, ctx)

describe('a product', () => {
  it('refuses a price that is not a plausible amount', () => {
    expect(refusal(() => newProduct({ unit_price_cents: 100_000_000_000_000 }))).toEqual({ unit_price_cents: 'amount.too_large' })
    expect(refusal(() => newProduct({ unit_price_cents: -1 }))).toEqual({ unit_price_cents: 'product.unit_price.negative' })
  })

  it('keeps a multi-line description and refuses control characters in its name', () => {
    const [e] = newProduct({ description: 'Ligne 1\r\nLigne 2' })
    expect(e.data).toMatchObject({ description: 'Ligne 1\nLigne 2' })
    expect(refusal(() => newProduct({ name: 'Conseil\u0007' }))).toEqual({ name: 'text.control_characters' })
    expect(refusal(() => newProduct({ vat_rate: 0, vat_exemption: 'Art. 293 B\u0000' }))).toEqual({ vat_exemption: 'text.control_characters' })
  })
})

const quote: QuoteFields = {
  organisation_id: 'org-1',
  contact_id: null,
  deal_id: null,
  title: 'Refonte',
  validity_days: 30,
  payment_terms: null,
  notes: null,
}
const line: QuoteLine = {
  product_id: null,
  code: null,
  description: 'Journée de conseil',
  unit: 'jour',
  quantity: '1',
  unit_price_cents: 85_000,
  discount: null,
  vat_rate: 2000,
  vat_exemption: null,
}

describe('a quote', () => {
  it('refuses control characters in its title and notes over their limit', () => {
    expect(refusal(() => validateQuoteFields({ ...quote, title: 'Refonte\u009b' }))).toEqual({ title: 'text.control_characters' })
    expect(refusal(() => validateQuoteFields({ ...quote, notes: 'x'.repeat(5001) }))).toEqual({
      notes: { code: 'quote.notes.too_long', params: { max: 5000 } },
    })
  })

  it('refuses a line label with a control character, and a total beyond 100 milliards €', () => {
    expect(refusal(() => validateQuoteLines([{ ...line, description: 'Conseil\u0000' }], null))).toEqual({ 'lines.0.description': 'text.control_characters' })
    const big = { ...line, unit_price_cents: 100_000_000_000, quantity: '200' }
    expect(refusal(() => validateQuoteLines([big], null))).toEqual({ 'lines.0.quantity': 'quote.line.amount.too_large' })
  })

  it('is sent by an e-mail whose subject has no control characters', () => {
    expect(refusal(() => validateSendQuoteEmail({ to: 'claire@martin.fr', subject: 'Devis\u0000', message: 'Bonjour' }))).toEqual({
      subject: 'text.control_characters',
    })
    expect(refusal(() => validateSendQuoteEmail({ to: 'claire\u0000@martin.fr', subject: 'Devis', message: 'Bonjour' }))).toEqual({ to: 'email.invalid' })
  })
})
