import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { testNow } from '../../../testing/clock.js'
import { DomainError } from '../../shared/errors.js'
import { testCreditNote, testDepositInvoice, testExemptInvoice, testFinalInvoice, testFranchiseInvoice, testInvoice } from '../document/testing-documents.js'
import type { InvoiceDocument } from '../invoice-document.js'
import { assertInvoiceDocument, invoiceDocumentProblems } from './business-rules.js'
import { amount, buildCiiXml, esc } from './cii-xml.js'

// The Factur-X XML of each kind of document, validated against the official Factur-X
// 1.09 EN 16931 XSD shipped in ./xsd (xmllint, from libxml2-utils), then read for the
// content the French reform and EN 16931 ask for; and the business rules in TypeScript
// that refuse a wrong document before anything is rendered.

const XSD = path.join(path.dirname(new URL(import.meta.url).pathname), 'xsd/Factur-X_EN16931.xsd')

/** xmllint's verdict on the XML (stdin), against the shipped XSD. */
function xsdErrors(xml: string): string {
  try {
    execFileSync('xmllint', ['--noout', '--schema', XSD, '-'], { input: xml, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
    return ''
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e)
  }
}

const now = testNow()
const invoice = testInvoice(now)
const deposit = testDepositInvoice(now)
const final = testFinalInvoice(now, deposit)
const credit = testCreditNote(now, invoice)
const franchise = testFranchiseInvoice(now)
const day = (d: string) => `<udt:DateTimeString format="102">${d.replaceAll('-', '')}</udt:DateTimeString>`
const count = (xml: string, s: string) => xml.split(s).length - 1

describe('Factur-X CII XML (EN 16931)', () => {
  it.each([
    ['an invoice (380)', invoice],
    ['a deposit invoice (386)', deposit],
    ['a final invoice deducting a deposit', final],
    ['a credit note (381)', credit],
    ['an invoice under the VAT franchise', franchise],
    ['an intra-community supply (K)', testExemptInvoice(now, 'intra-eu')],
    ['a reverse-charge invoice (AE)', testExemptInvoice(now, 'reverse-charge')],
    ['an export invoice (G)', testExemptInvoice(now, 'export')],
  ])('%s validates against the Factur-X 1.09 EN 16931 XSD and passes the business rules', (_, doc) => {
    expect(invoiceDocumentProblems(doc)).toEqual([])
    expect(xsdErrors(buildCiiXml(doc))).toBe('')
  })

  it('the XSD check catches a malformed document (the validator really runs)', () => {
    const broken = buildCiiXml(invoice).replace('<ram:TypeCode>380</ram:TypeCode>', '')
    expect(xsdErrors(broken)).toMatch(/TypeCode|element/i)
  })

  it('carries the French identifiers, notes, VAT per rate, discount per rate, payment and references', () => {
    const xml = buildCiiXml(invoice)
    const s = invoice.seller
    const b = invoice.buyer
    expect(xml).toContain('<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>')
    expect(xml).toContain('<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>M1</ram:ID>')
    expect(xml).toContain(`<ram:ID>${invoice.number}</ram:ID><ram:TypeCode>380</ram:TypeCode><ram:IssueDateTime>${day(invoice.issue_date)}`)
    // SIREN 0002, SIRET 0009, electronic address 0225, VAT number VA — seller and buyer.
    for (const p of [s, b]) {
      expect(xml).toContain(`<ram:ID schemeID="0002">${p.siren}</ram:ID>`)
      expect(xml).toContain(`<ram:GlobalID schemeID="0009">${p.siret}</ram:GlobalID>`)
      expect(xml).toContain(`<ram:URIID schemeID="0225">${p.siren}</ram:URIID>`)
      expect(xml).toContain(`<ram:ID schemeID="VA">${p.vat_number}</ram:ID>`)
    }
    for (const code of ['PMT', 'PMD', 'AAB', 'REG', 'TXD']) expect(xml).toContain(`<ram:SubjectCode>${code}</ram:SubjectCode>`)
    expect(xml).toContain('Option pour le paiement de la TVA d&apos;après les débits')
    // One breakdown per rate, rates with two decimals, VAT = base × rate.
    expect(count(xml, '<ram:CalculatedAmount>')).toBe(invoice.totals.vat.length)
    for (const g of invoice.totals.vat) {
      expect(xml).toContain(
        `<ram:CalculatedAmount>${amount(g.vat_cents)}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>${amount(g.base_cents)}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:DueDateTypeCode>5</ram:DueDateTypeCode><ram:RateApplicablePercent>${amount(g.rate)}</ram:RateApplicablePercent>`,
      )
    }
    expect(xml).toContain('<ram:RateApplicablePercent>5.50</ram:RateApplicablePercent>')
    // The global discount, once per rate, adding up to the document's.
    const shares = [...xml.matchAll(/<ram:ActualAmount>([\d.]+)<\/ram:ActualAmount><ram:ReasonCode>95<\/ram:ReasonCode><ram:Reason>Remise globale/g)].map(
      (m) => m[1],
    )
    expect(shares).toHaveLength(invoice.totals.vat.length)
    expect(Math.round(shares.reduce((x, v) => x + Number(v) * 100, 0))).toBe(invoice.totals.global_discount_cents)
    expect(xml).toContain(`<ram:AllowanceTotalAmount>${amount(invoice.totals.global_discount_cents)}</ram:AllowanceTotalAmount>`)
    expect(xml).toContain(`<ram:GrandTotalAmount>${amount(invoice.totals.total_ttc_cents)}</ram:GrandTotalAmount>`)
    // Payment: SEPA transfer (58) with the IBAN, terms and due date.
    expect(xml).toContain(`<ram:TypeCode>58</ram:TypeCode>`)
    expect(xml).toContain(`<ram:IBANID>${s.iban}</ram:IBANID>`)
    expect(xml).toContain(`<ram:Description>${esc(invoice.payment_terms)}</ram:Description><ram:DueDateDateTime>${day(invoice.due_date)}</ram:DueDateDateTime>`)
    // References: buyer order (BT-13), contract (BT-12); delivery address and date.
    expect(xml).toContain(`<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>${invoice.buyer_order_reference}</ram:IssuerAssignedID>`)
    expect(xml).toContain(`<ram:ContractReferencedDocument><ram:IssuerAssignedID>${invoice.contract_reference}</ram:IssuerAssignedID>`)
    expect(xml).toContain('<ram:ShipToTradeParty>')
    expect(xml).toContain(`<ram:OccurrenceDateTime>${day(invoice.delivery_date!)}</ram:OccurrenceDateTime>`)
    // Units mapped to UN/ECE rec 20; text escaped.
    expect(xml).toContain('<ram:BilledQuantity unitCode="DAY">3</ram:BilledQuantity>')
    expect(xml).toContain('<ram:BilledQuantity unitCode="KMT">0.333</ram:BilledQuantity>')
    expect(xml).toContain('Atelier de cadrage &amp; restitution &lt;direction&gt;')
    expect(xml).toContain('Boulangerie Martin &amp; Fils')
  })

  it('a deposit invoice has its delivery date; the final invoice deducts it (BT-113) and names it', () => {
    const dep = buildCiiXml(deposit)
    expect(dep).toContain('<ram:TypeCode>386</ram:TypeCode>')
    expect(dep).toContain(`<ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime>${day(deposit.delivery_date!)}`)
    const fin = buildCiiXml(final)
    expect(fin).toContain('<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>S4</ram:ID>')
    expect(fin).toContain(`<ram:TotalPrepaidAmount>${amount(deposit.totals.total_ttc_cents)}</ram:TotalPrepaidAmount>`)
    expect(fin).toContain(`<ram:DuePayableAmount>${amount(final.totals.total_ttc_cents - deposit.totals.total_ttc_cents)}</ram:DuePayableAmount>`)
    expect(fin).toContain(`<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${deposit.number}</ram:IssuerAssignedID>`)
  })

  it('a credit note names the invoice it corrects (BT-25/26); exempt lines carry their reason', () => {
    const xml = buildCiiXml(credit)
    expect(xml).toContain('<ram:TypeCode>381</ram:TypeCode>')
    expect(xml).toContain(
      `<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${invoice.number}</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">${invoice.issue_date.replaceAll('-', '')}</qdt:DateTimeString>`,
    )
    expect(xml).toContain(
      '<ram:ExemptionReason>Exonération de TVA, article 261, 4, 4° du CGI</ram:ExemptionReason><ram:BasisAmount>120.00</ram:BasisAmount><ram:CategoryCode>E</ram:CategoryCode>',
    )
    expect(count(xml, '<ram:CategoryCode>E</ram:CategoryCode>')).toBe(2) // the line and its breakdown
  })

  it('0 % lines get their EN 16931 category and VATEX code from their wording', () => {
    const k = buildCiiXml(testExemptInvoice(now, 'intra-eu'))
    expect(k).toContain('<ram:CategoryCode>K</ram:CategoryCode><ram:ExemptionReasonCode>VATEX-EU-IC</ram:ExemptionReasonCode>')
    expect(k).toMatch(/<ram:ShipToTradeParty>.*<ram:CountryID>DE<\/ram:CountryID>/) // BR-IC-12
    expect(buildCiiXml(testExemptInvoice(now, 'reverse-charge'))).toContain(
      '<ram:CategoryCode>AE</ram:CategoryCode><ram:ExemptionReasonCode>VATEX-EU-AE</ram:ExemptionReasonCode>',
    )
    expect(buildCiiXml(testExemptInvoice(now, 'export'))).toContain(
      '<ram:CategoryCode>G</ram:CategoryCode><ram:ExemptionReasonCode>VATEX-EU-G</ram:ExemptionReasonCode>',
    )
    // One tax note (BR-FR-06), carrying the wording.
    expect(count(k, '<ram:SubjectCode>TXD</ram:SubjectCode>')).toBe(1)
  })

  it('under the franchise: category E, VATEX-FR-FRANCHISE, the SIREN as tax registration when there is no VAT number', () => {
    const xml = buildCiiXml(franchise)
    expect(xml).toContain('<ram:ExemptionReason>TVA non applicable, art. 293 B du CGI</ram:ExemptionReason>')
    expect(xml).toContain('<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</ram:ExemptionReasonCode>')
    expect(xml).toContain(`<ram:ID schemeID="FC">${franchise.seller.siren}</ram:ID>`)
    expect(xml).toContain('<ram:TaxTotalAmount currencyID="EUR">0.00</ram:TaxTotalAmount>')
  })
})

describe('EN 16931 business rules', () => {
  const broken = (patch: (d: InvoiceDocument) => void) => {
    const d = structuredClone(invoice)
    patch(d)
    return invoiceDocumentProblems(d)
  }

  it('refuses wrong arithmetic, a missing credit-note reference, missing identifiers, a wrong amount due', () => {
    expect(broken((d) => (d.totals.vat[0].vat_cents += 1))).toEqual(expect.arrayContaining([expect.stringMatching(/TVA à 20 % doit être .* \(BR-S-08\/09\)/)]))
    expect(broken((d) => (d.lines[0].net_cents += 100))).toEqual(expect.arrayContaining([expect.stringMatching(/^ligne 1 : le montant HT/)]))
    expect(broken((d) => (d.totals.total_ttc_cents += 1))).toEqual(expect.arrayContaining([expect.stringMatching(/BR-CO-15/)]))
    expect(broken((d) => (d.amount_due_cents -= 1))).toEqual(expect.arrayContaining([expect.stringMatching(/BR-CO-16/)]))
    expect(broken((d) => (d.seller.siren = null))).toEqual(expect.arrayContaining([expect.stringMatching(/SIREN du vendeur/)]))
    expect(broken((d) => (d.buyer.siren = null))).toEqual(expect.arrayContaining([expect.stringMatching(/SIREN de l'acheteur/)]))
    expect(broken((d) => (d.seller.vat_number = null))).toEqual(expect.arrayContaining([expect.stringMatching(/BR-S-02/)]))
    expect(broken((d) => (d.recovery_indemnity_cents = 0))).toEqual(expect.arrayContaining([expect.stringMatching(/40 €/)]))
    expect(broken((d) => (d.due_date = 'demain'))).toEqual(expect.arrayContaining([expect.stringMatching(/échéance/)]))
    expect(broken((d) => (d.type_code = '381'))).toEqual(expect.arrayContaining([expect.stringMatching(/BT-25/)]))
  })

  it('assertInvoiceDocument throws the French list as invoice.document.invalid', () => {
    const d = structuredClone(final)
    d.amount_due_cents = d.totals.total_ttc_cents
    let err: unknown
    try {
      assertInvoiceDocument(d)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DomainError)
    expect((err as DomainError).problem).toEqual({ code: 'invoice.document.invalid', params: { list: expect.stringContaining('net à payer') } })
    expect(() => assertInvoiceDocument(final)).not.toThrow()
  })
})
