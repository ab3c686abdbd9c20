import { describe, expect, it } from 'vitest'
import { DomainError, ValidationError } from '../shared/errors.js'
import { dunningStageOn } from './dunning.js'
import { checkIssuable, creditInvoice, recordPayment } from './invoice.decide.js'
import type { InvoiceState } from './invoice.js'
import {
  checkNumberPattern,
  checkPayment,
  depositLines,
  displayStatus,
  dueDate,
  formatInvoiceNumber,
  latePenaltyCents,
  remainingCents,
} from './invoice-rules.js'

const ctx = { workspaceId: 'ws', actorId: null, now: new Date('2026-06-15T10:00:00Z') }
const issued = (over: Partial<InvoiceState> = {}) =>
  ({
    id: 'i',
    status: 'emise',
    type_code: '380',
    amount_due_cents: 12_000,
    paid_cents: 0,
    credited_cents: 0,
    due_date: '2026-07-15',
    lines: [],
    ...over,
  }) as unknown as InvoiceState

describe('invoice numbering', () => {
  it('formats the default pattern with four digits, more past 9 999', () => {
    expect(formatInvoiceNumber('{YYYY}-F-{NNNN}', 2026, 42)).toBe('2026-F-0042')
    expect(formatInvoiceNumber('{YYYY}-F-{NNNN}', 2026, 12_345)).toBe('2026-F-12345')
    expect(formatInvoiceNumber('FA{YY}/{NNNNNN}', 2026, 7)).toBe('FA26/000007')
  })
  it('refuses a pattern without a year or a rank, or with odd characters', () => {
    for (const p of ['F-{NNNN}', '{YYYY}-F', '{YYYY}{YYYY}-{NNNN}', '{YYYY}-<{NNNN}>', '{YYYY}-{NN}'])
      expect(() => checkNumberPattern(p)).toThrow(ValidationError)
    expect(checkNumberPattern(' {YYYY}-F-{NNNN} ')).toBe('{YYYY}-F-{NNNN}')
  })
})

describe('payment terms', () => {
  it('computes due dates: on receipt, 30 days, 45 days end of month, 60 days', () => {
    expect(dueDate('2026-01-20', 'reception')).toBe('2026-01-20')
    expect(dueDate('2026-01-20', '30j')).toBe('2026-02-19')
    expect(dueDate('2026-01-20', '45jfdm')).toBe('2026-03-31')
    expect(dueDate('2026-01-20', '60j')).toBe('2026-03-21')
  })
})

describe('statuses', () => {
  const today = '2026-07-01'
  it('says Non payée, Partiellement payée, Payée, En retard, Annulée', () => {
    expect(displayStatus(issued(), today)).toBe('non_payee')
    expect(displayStatus(issued({ paid_cents: 2000 }), today)).toBe('partiellement_payee')
    expect(displayStatus(issued({ paid_cents: 12_000 }), today)).toBe('payee')
    expect(displayStatus(issued({ paid_cents: 2000 }), '2026-07-16')).toBe('en_retard')
    expect(displayStatus(issued({ due_date: today }), today)).toBe('non_payee')
    expect(displayStatus(issued({ status: 'annulee' }), today)).toBe('annulee')
    expect(displayStatus(issued({ credited_cents: 2000, paid_cents: 10_000 }), '2026-12-01')).toBe('payee')
  })
})

describe('payments and credit notes', () => {
  it('refuses an over-payment with the amount left, in the form field', () => {
    expect(() => checkPayment(5000, 5001)).toThrow(DomainError)
    try {
      checkPayment(5000, 5001)
    } catch (e) {
      expect((e as DomainError).field).toBe('amount')
      expect((e as DomainError).problem).toEqual({ code: 'invoice.payment.overpaid', params: { remaining: { decimal: 50, digits: 2 } } })
    }
    expect(
      recordPayment(issued({ paid_cents: 2000 }), { payment_id: 'p', paid_on: '2026-06-15', amount_cents: 10_000, method: 'virement', reference: null }, ctx)[0]
        .data,
    ).toMatchObject({ paid_cents: 12_000 })
  })
  it('a credit note for the whole amount cancels the invoice; a partial one does not', () => {
    expect(creditInvoice(issued(), { credit_note_id: 'a', credit_note_number: '2026-F-0002', amount_cents: 12_000 }, ctx)[0].data).toMatchObject({
      cancelled: true,
    })
    expect(creditInvoice(issued(), { credit_note_id: 'a', credit_note_number: '2026-F-0002', amount_cents: 2000 }, ctx)[0].data).toMatchObject({
      cancelled: false,
    })
    expect(() => creditInvoice(issued({ credited_cents: 11_000 }), { credit_note_id: 'a', credit_note_number: 'x', amount_cents: 2000 }, ctx)).toThrow(
      DomainError,
    )
    expect(remainingCents(issued({ credited_cents: 2000, paid_cents: 1000 }))).toBe(9000)
  })
  it('an issued invoice is not issued again nor edited', () => {
    expect(() => checkIssuable(issued())).toThrow(expect.objectContaining({ problem: 'invoice.issued.immutable' }))
  })
})

describe('deposits', () => {
  it('splits a deposit per VAT rate of the order, on the bases after discount', () => {
    const lines = depositLines(
      [
        { rate: 2000, exemption: null, base_cents: 100_000 },
        { rate: 550, exemption: null, base_cents: 33_333 },
      ],
      3000,
      'DEV-2026-0001',
    )
    expect(lines.map((l) => [l.vat_rate, l.unit_price_cents])).toEqual([
      [2000, 30_000],
      [550, 10_000],
    ])
    expect(lines[0].description).toBe('Acompte de 30 % sur le devis DEV-2026-0001 (TVA 20 %)')
    expect(() => depositLines([{ rate: 2000, exemption: null, base_cents: 1 }], 10_000, 'x')).toThrow(ValidationError)
  })
})

describe('dunning schedule and penalties', () => {
  it('J-3 until the due day, nothing in the first week late, J+7, then J+30', () => {
    const due = '2026-07-15'
    expect(dunningStageOn(due, '2026-07-11')).toBeNull()
    expect(dunningStageOn(due, '2026-07-12')).toBe('friendly')
    expect(dunningStageOn(due, '2026-07-14')).toBe('friendly')
    expect(dunningStageOn(due, '2026-07-15')).toBeNull()
    expect(dunningStageOn(due, '2026-07-22')).toBe('firm')
    expect(dunningStageOn(due, '2026-08-13')).toBe('firm')
    expect(dunningStageOn(due, '2026-08-14')).toBe('formal')
  })
  it('penalties are simple interest over 365 days, rounded half up', () => {
    // 1 000,00 € at 9,48 % for 30 days = 7,7917… → 7,79 €
    expect(latePenaltyCents(100_000, 948, '2026-07-15', '2026-08-14')).toBe(779)
    expect(latePenaltyCents(100_000, 948, '2026-07-15', '2026-07-15')).toBe(0)
  })
})
