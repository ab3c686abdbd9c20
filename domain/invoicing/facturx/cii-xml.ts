import {
  depositMention,
  earlyPaymentMention,
  exemptionMentions,
  indemnityMention,
  penaltyMention,
  sellerIdentityLine,
  DEBITS_OPTION,
} from '../document/mentions.js'
import type { InvoiceDocument, PostalAddress } from '../invoice-document.js'
import { unitCode } from './unit-codes.js'
import { vatCategory, type VatCategory } from './vat-categories.js'

// The Factur-X XML (UN/CEFACT CII D16B, profile EN 16931) of an issued invoice, written
// by hand from the frozen document: element order follows the Factur-X 1.09 EN 16931
// XSD shipped in ./xsd (the tests validate every document type against it), identifiers
// follow the French reform (SIREN scheme 0002, SIRET 0009, electronic address 0225,
// VAT number VA), notes carry the subject codes BR-FR-05 asks for (PMT, PMD, AAB, REG).
// ADR docs/decisions/0032-facturx-hand-written-cii.md says why no library writes it.

export const FACTURX_GUIDELINE = 'urn:cen.eu:en16931:2017'

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
/** XML text; control characters (other than tab/newline) are not allowed in XML 1.0. */
export const esc = (s: string) =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/[&<>"']/g, (c) => ESC[c])

/** Cents → "1234.56" (BR-DEC: two decimals). */
export const amount = (cents: number) => {
  const sign = cents < 0 ? '-' : ''
  const a = Math.abs(cents)
  return `${sign}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`
}
/** Basis points → "20.00", "5.50" (BR-FR-16 wants two decimals). */
export const rate = (bps: number) => amount(bps)
const day = (d: string) => `<udt:DateTimeString format="102">${d.replaceAll('-', '')}</udt:DateTimeString>`
const qdtDay = (d: string) => `<qdt:DateTimeString format="102">${d.replaceAll('-', '')}</qdt:DateTimeString>`
const el = (name: string, value: string | null | undefined, attrs = '') => (value ? `<ram:${name}${attrs}>${esc(value)}</ram:${name}>` : '')

function address(a: PostalAddress): string {
  return (
    '<ram:PostalTradeAddress>' +
    el('PostcodeCode', a.postal_code) +
    el('LineOne', a.line1) +
    el('LineTwo', a.line2) +
    el('CityName', a.city) +
    el('CountryID', a.country || 'FR') +
    '</ram:PostalTradeAddress>'
  )
}

function note(content: string, subject: string | null): string {
  return `<ram:IncludedNote><ram:Content>${esc(content)}</ram:Content>${subject ? `<ram:SubjectCode>${subject}</ram:SubjectCode>` : ''}</ram:IncludedNote>`
}

function tax(cat: VatCategory, bps: number): string {
  return `<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>${cat.code}</ram:CategoryCode><ram:RateApplicablePercent>${rate(bps)}</ram:RateApplicablePercent>`
}

/** BT-23, the French "cadre de facturation": B goods, S services, M mixed; 4 = final invoice after deposits. */
export function businessProcess(doc: InvoiceDocument): string {
  const letter = doc.operation_category === 'goods' ? 'B' : doc.operation_category === 'services' ? 'S' : 'M'
  return `${letter}${doc.deducted_deposits.length ? 4 : 1}`
}

/**
 * One VAT breakdown per category and rate (EN 16931 allows exactly one group per pair,
 * e.g. BR-E-01): 0 % groups with different wordings but the same category are merged,
 * their reasons joined.
 */
export function vatBreakdown(doc: InvoiceDocument) {
  const out: { cat: VatCategory; rate: number; base: number; vat: number; discount: number; reasons: string[]; codes: Set<string | null> }[] = []
  for (const g of doc.totals.vat) {
    const cat = vatCategory(g.rate, g.exemption)
    let b = out.find((x) => x.cat.code === cat.code && x.rate === g.rate)
    if (!b) out.push((b = { cat, rate: g.rate, base: 0, vat: 0, discount: 0, reasons: [], codes: new Set() }))
    b.base += g.base_cents
    b.vat += g.vat_cents
    b.discount += g.discount_cents
    if (cat.exemptionReason && !b.reasons.includes(cat.exemptionReason)) b.reasons.push(cat.exemptionReason)
    b.codes.add(cat.exemptionCode)
  }
  return out.map((b) => ({ ...b, exemptionCode: b.codes.size === 1 ? [...b.codes][0] : null, reason: b.reasons.join(' ; ') || null }))
}

/** BT-8: 5 = VAT due at invoice date (goods, or the "débits" option), 72 = on payment (services). */
const taxPointCode = (doc: InvoiceDocument) => (doc.vat_on_debits || doc.operation_category === 'goods' ? '5' : '72')

function sellerParty(doc: InvoiceDocument): string {
  const s = doc.seller
  const legal = [s.legal_form, s.share_capital_cents !== null ? `au capital de ${amount(s.share_capital_cents)} EUR` : null].filter(Boolean).join(' ')
  const contact = s.phone || s.email
  return (
    '<ram:SellerTradeParty>' +
    el('GlobalID', s.siret, ' schemeID="0009"') +
    el('Name', s.name) +
    el('Description', legal || null) +
    (s.siren ? `<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${esc(s.siren)}</ram:ID></ram:SpecifiedLegalOrganization>` : '') +
    (contact
      ? '<ram:DefinedTradeContact>' +
        (s.phone ? `<ram:TelephoneUniversalCommunication><ram:CompleteNumber>${esc(s.phone)}</ram:CompleteNumber></ram:TelephoneUniversalCommunication>` : '') +
        (s.email ? `<ram:EmailURIUniversalCommunication><ram:URIID>${esc(s.email)}</ram:URIID></ram:EmailURIUniversalCommunication>` : '') +
        '</ram:DefinedTradeContact>'
      : '') +
    address(s.address) +
    (s.siren
      ? `<ram:URIUniversalCommunication><ram:URIID schemeID="0225">${esc(s.siren)}</ram:URIID></ram:URIUniversalCommunication>`
      : s.email
        ? `<ram:URIUniversalCommunication><ram:URIID schemeID="EM">${esc(s.email)}</ram:URIID></ram:URIUniversalCommunication>`
        : '') +
    // BT-31, or BT-32 (a seller under the franchise may have no VAT number: its SIREN is
    // its tax registration, which BR-E-02 accepts).
    (s.vat_number
      ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${esc(s.vat_number)}</ram:ID></ram:SpecifiedTaxRegistration>`
      : s.siren
        ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">${esc(s.siren)}</ram:ID></ram:SpecifiedTaxRegistration>`
        : '') +
    '</ram:SellerTradeParty>'
  )
}

function buyerParty(doc: InvoiceDocument): string {
  const b = doc.buyer
  return (
    '<ram:BuyerTradeParty>' +
    el('ID', b.customer_code) +
    el('GlobalID', b.siret, ' schemeID="0009"') +
    el('Name', b.name) +
    (b.siren ? `<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${esc(b.siren)}</ram:ID></ram:SpecifiedLegalOrganization>` : '') +
    (b.contact_name || b.email
      ? '<ram:DefinedTradeContact>' +
        el('PersonName', b.contact_name) +
        (b.email ? `<ram:EmailURIUniversalCommunication><ram:URIID>${esc(b.email)}</ram:URIID></ram:EmailURIUniversalCommunication>` : '') +
        '</ram:DefinedTradeContact>'
      : '') +
    address(b.billing_address) +
    (b.siren
      ? `<ram:URIUniversalCommunication><ram:URIID schemeID="0225">${esc(b.siren)}</ram:URIID></ram:URIUniversalCommunication>`
      : b.email
        ? `<ram:URIUniversalCommunication><ram:URIID schemeID="EM">${esc(b.email)}</ram:URIID></ram:URIUniversalCommunication>`
        : '') +
    (b.vat_number ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${esc(b.vat_number)}</ram:ID></ram:SpecifiedTaxRegistration>` : '') +
    '</ram:BuyerTradeParty>'
  )
}

function line(doc: InvoiceDocument, l: InvoiceDocument['lines'][number]): string {
  const [name, ...rest] = l.description.split('\n')
  const cat = vatCategory(l.vat_rate, l.vat_exemption)
  const allowance =
    l.discount_cents > 0
      ? '<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>' +
        (l.discount?.kind === 'percent'
          ? `<ram:CalculationPercent>${rate(l.discount.bps)}</ram:CalculationPercent><ram:BasisAmount>${amount(l.gross_cents)}</ram:BasisAmount>`
          : '') +
        `<ram:ActualAmount>${amount(l.discount_cents)}</ram:ActualAmount><ram:ReasonCode>95</ram:ReasonCode><ram:Reason>Remise</ram:Reason></ram:SpecifiedTradeAllowanceCharge>`
      : ''
  return (
    '<ram:IncludedSupplyChainTradeLineItem>' +
    `<ram:AssociatedDocumentLineDocument><ram:LineID>${l.position}</ram:LineID></ram:AssociatedDocumentLineDocument>` +
    '<ram:SpecifiedTradeProduct>' +
    el('SellerAssignedID', l.code) +
    el('Name', name.trim() || l.description) +
    el('Description', rest.join('\n').trim() || null) +
    '</ram:SpecifiedTradeProduct>' +
    `<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>${amount(l.unit_price_cents)}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>` +
    `<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="${unitCode(l.unit)}">${esc(l.quantity)}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>` +
    '<ram:SpecifiedLineTradeSettlement>' +
    `<ram:ApplicableTradeTax>${tax(cat, l.vat_rate)}</ram:ApplicableTradeTax>` +
    allowance +
    `<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${amount(l.net_cents)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>` +
    '</ram:SpecifiedLineTradeSettlement>' +
    '</ram:IncludedSupplyChainTradeLineItem>'
  )
}

/** Σ TTC of the deposits deducted (BT-113). */
export const prepaidCents = (doc: InvoiceDocument) => doc.deducted_deposits.reduce((s, d) => s + d.total_ttc_cents, 0)

function taxNote(doc: InvoiceDocument): string {
  const mentions = [...exemptionMentions(doc), ...(doc.vat_on_debits ? [DEBITS_OPTION] : [])]
  return mentions.length ? note(mentions.map((m) => m.replace(/\.$/, '')).join('. ') + '.', 'TXD') : ''
}

/** The factur-x.xml of the document, as a string (UTF-8 when encoded). */
export function buildCiiXml(doc: InvoiceDocument): string {
  const t = doc.totals
  const groups = vatBreakdown(doc)
  const notes = [
    note(sellerIdentityLine(doc), 'REG'),
    note(penaltyMention(doc), 'PMD'),
    note(indemnityMention(doc), 'PMT'),
    note(earlyPaymentMention(doc), 'AAB'),
    // BR-FR-06: one TXD (tax) note at most, so the exemption wordings and the "débits"
    // option share it.
    taxNote(doc),
    depositMention(doc) ? note(depositMention(doc)!, 'AAI') : '',
    doc.notes?.trim() ? note(doc.notes.trim(), 'AAI') : '',
  ].join('')

  const delivery = doc.delivery_date ?? (doc.type_code === '386' ? doc.issue_date : null)
  // An intra-community supply needs the deliver-to country (BR-IC-12): the billing
  // address stands for it when no other delivery address is given.
  const shipAddress = doc.buyer.delivery_address ?? (groups.some((g) => g.cat.code === 'K') ? doc.buyer.billing_address : null)
  const shipTo = shipAddress ? `<ram:ShipToTradeParty>${el('Name', doc.buyer.name)}${address(shipAddress)}</ram:ShipToTradeParty>` : ''

  const paymentMeans = doc.seller.iban
    ? '<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:Information>Virement SEPA</ram:Information>' +
      `<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${esc(doc.seller.iban.replace(/\s/g, ''))}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>` +
      (doc.seller.bic
        ? `<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>${esc(doc.seller.bic.replace(/\s/g, ''))}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>`
        : '') +
      '</ram:SpecifiedTradeSettlementPaymentMeans>'
    : ''

  const taxes = groups
    .map(
      (g) =>
        '<ram:ApplicableTradeTax>' +
        `<ram:CalculatedAmount>${amount(g.vat)}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>` +
        el('ExemptionReason', g.cat.code === 'S' ? null : g.reason) +
        `<ram:BasisAmount>${amount(g.base)}</ram:BasisAmount><ram:CategoryCode>${g.cat.code}</ram:CategoryCode>` +
        el('ExemptionReasonCode', g.cat.code === 'S' ? null : g.exemptionCode) +
        (g.cat.code === 'S' ? `<ram:DueDateTypeCode>${taxPointCode(doc)}</ram:DueDateTypeCode>` : '') +
        `<ram:RateApplicablePercent>${rate(g.rate)}</ram:RateApplicablePercent>` +
        '</ram:ApplicableTradeTax>',
    )
    .join('')

  // The document-level discount, one allowance per VAT group (EN 16931 wants a VAT
  // category and rate on each), amounts as split by the totals (largest remainder).
  const discountLabel = doc.global_discount?.kind === 'percent' ? `Remise globale (${rate(doc.global_discount.bps)} %)` : 'Remise globale'
  const allowances = groups
    .filter((g) => g.discount > 0)
    .map(
      (g) =>
        '<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>' +
        `<ram:ActualAmount>${amount(g.discount)}</ram:ActualAmount><ram:ReasonCode>95</ram:ReasonCode><ram:Reason>${esc(discountLabel)}</ram:Reason>` +
        `<ram:CategoryTradeTax>${tax(g.cat, g.rate)}</ram:CategoryTradeTax></ram:SpecifiedTradeAllowanceCharge>`,
    )
    .join('')

  const prepaid = prepaidCents(doc)
  const referenced = [
    ...(doc.preceding_invoice ? [doc.preceding_invoice] : []),
    ...doc.deducted_deposits.map((d) => ({ number: d.number, issue_date: d.issue_date })),
  ]
    .map(
      (r) =>
        `<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${esc(r.number)}</ram:IssuerAssignedID><ram:FormattedIssueDateTime>${qdtDay(r.issue_date)}</ram:FormattedIssueDateTime></ram:InvoiceReferencedDocument>`,
    )
    .join('')

  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">\n' +
    '<rsm:ExchangedDocumentContext>' +
    `<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>${businessProcess(doc)}</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>` +
    `<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>${FACTURX_GUIDELINE}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>` +
    '</rsm:ExchangedDocumentContext>\n' +
    '<rsm:ExchangedDocument>' +
    `<ram:ID>${esc(doc.number)}</ram:ID><ram:TypeCode>${doc.type_code}</ram:TypeCode><ram:IssueDateTime>${day(doc.issue_date)}</ram:IssueDateTime>` +
    notes +
    '</rsm:ExchangedDocument>\n' +
    '<rsm:SupplyChainTradeTransaction>\n' +
    doc.lines.map((l) => line(doc, l)).join('\n') +
    '\n<ram:ApplicableHeaderTradeAgreement>' +
    sellerParty(doc) +
    buyerParty(doc) +
    (doc.quote_number
      ? `<ram:SellerOrderReferencedDocument><ram:IssuerAssignedID>${esc(doc.quote_number)}</ram:IssuerAssignedID></ram:SellerOrderReferencedDocument>`
      : '') +
    (doc.buyer_order_reference
      ? `<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>${esc(doc.buyer_order_reference)}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>`
      : '') +
    (doc.contract_reference
      ? `<ram:ContractReferencedDocument><ram:IssuerAssignedID>${esc(doc.contract_reference)}</ram:IssuerAssignedID></ram:ContractReferencedDocument>`
      : '') +
    '</ram:ApplicableHeaderTradeAgreement>\n' +
    '<ram:ApplicableHeaderTradeDelivery>' +
    shipTo +
    (delivery
      ? `<ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime>${day(delivery)}</ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent>`
      : '') +
    '</ram:ApplicableHeaderTradeDelivery>\n' +
    '<ram:ApplicableHeaderTradeSettlement>' +
    `<ram:PaymentReference>${esc(doc.number)}</ram:PaymentReference>` +
    `<ram:InvoiceCurrencyCode>${doc.currency}</ram:InvoiceCurrencyCode>` +
    paymentMeans +
    taxes +
    allowances +
    `<ram:SpecifiedTradePaymentTerms>${el('Description', doc.payment_terms)}<ram:DueDateDateTime>${day(doc.due_date)}</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>` +
    '<ram:SpecifiedTradeSettlementHeaderMonetarySummation>' +
    `<ram:LineTotalAmount>${amount(t.lines_net_cents)}</ram:LineTotalAmount>` +
    `<ram:ChargeTotalAmount>0.00</ram:ChargeTotalAmount>` +
    `<ram:AllowanceTotalAmount>${amount(t.global_discount_cents)}</ram:AllowanceTotalAmount>` +
    `<ram:TaxBasisTotalAmount>${amount(t.total_ht_cents)}</ram:TaxBasisTotalAmount>` +
    `<ram:TaxTotalAmount currencyID="${doc.currency}">${amount(t.total_vat_cents)}</ram:TaxTotalAmount>` +
    `<ram:GrandTotalAmount>${amount(t.total_ttc_cents)}</ram:GrandTotalAmount>` +
    (prepaid ? `<ram:TotalPrepaidAmount>${amount(prepaid)}</ram:TotalPrepaidAmount>` : '') +
    `<ram:DuePayableAmount>${amount(doc.amount_due_cents)}</ram:DuePayableAmount>` +
    '</ram:SpecifiedTradeSettlementHeaderMonetarySummation>' +
    referenced +
    '</ram:ApplicableHeaderTradeSettlement>\n' +
    '</rsm:SupplyChainTradeTransaction>\n' +
    '</rsm:CrossIndustryInvoice>\n'
  )
}
