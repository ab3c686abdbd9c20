import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream } from '@cantoo/pdf-lib'
import { afterAll, describe, expect, it } from 'vitest'
import { testNow } from '../../../testing/clock.js'
import { DomainError } from '../../shared/errors.js'
import { buildCiiXml } from '../facturx/cii-xml.js'
import type { InvoiceDocument } from '../invoice-document.js'
import { euros, frenchDay, percent } from './mentions.js'
import { renderInvoiceDocument } from './render-invoice.server.js'
import { testCreditNote, testDepositInvoice, testFinalInvoice, testFranchiseInvoice, testInvoice } from './testing-documents.js'

// The Factur-X PDF as a reader and a machine see it: the text (poppler's pdftotext)
// carries every mention French law asks of an invoice, a deposit invoice, a final
// invoice and a credit note; the PDF/A-3 parts read back with @cantoo/pdf-lib (embedded
// factur-x.xml with /AFRelationship /Data, /AF, XMP pdfaid:part=3 and fx:ConformanceLevel
// EN 16931, output intent, /ID); poppler's pdfdetach extracts the XML; two renders are
// byte-identical; a wrong document is refused before drawing.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'invoice-pdf-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const now = testNow()
const invoice = testInvoice(now)
const deposit = testDepositInvoice(now)
const final = testFinalInvoice(now, deposit)
const credit = testCreditNote(now, invoice)
const franchise = testFranchiseInvoice(now)

const rendered = new Map<InvoiceDocument, Promise<Uint8Array>>()
const render = (doc: InvoiceDocument) => {
  if (!rendered.has(doc)) rendered.set(doc, renderInvoiceDocument(doc, { logo: null }))
  return rendered.get(doc)!
}
function write(bytes: Uint8Array, name: string) {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, bytes)
  return file
}
// pdftotext -raw keeps each text run on its line (no column padding); spaces normalised.
const pdfText = (file: string) =>
  execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' })
    .replace(/[\u202f\u00a0]/g, ' ')
    .replace(/[ \t]+/g, ' ')

/** The mentions every issued document prints (CGI 242 nonies A, C. com. L441-9/L441-10/D441-5, reform). */
function commonMentions(doc: InvoiceDocument): string[] {
  const s = doc.seller
  const b = doc.buyer
  const t = doc.totals
  return [
    // Seller: name, legal form, capital, address, SIREN/SIRET, RCS + city, VAT number.
    s.name,
    ...(s.legal_form ? [`${s.name} (${s.legal_form})`] : []),
    ...(s.share_capital_cents !== null ? [`Capital social : ${euros(s.share_capital_cents)}`] : []),
    s.address.line1!,
    `${s.address.postal_code} ${s.address.city}`,
    `SIREN ${s.siren}`,
    `SIRET ${s.siret}`,
    ...(s.rcs_city ? [`RCS ${s.rcs_city}`] : []),
    ...(s.vat_number ? [`N° TVA ${s.vat_number}`] : []),
    // Buyer: name, billing address, SIREN, VAT number.
    b.name,
    b.billing_address.line1!,
    `${b.billing_address.postal_code} ${b.billing_address.city}`,
    `SIREN ${b.siren}`,
    ...(b.vat_number ? [`N° TVA ${b.vat_number}`] : []),
    // Date, number, date of sale or service, due date.
    `N° ${doc.number}`,
    `${doc.type_code === '381' ? "Date de l'avoir" : 'Date de la facture'} : ${frenchDay(doc.issue_date)}`,
    ...(doc.delivery_date ? [`Date de la vente ou de la prestation : ${frenchDay(doc.delivery_date)}`] : []),
    `Échéance : ${frenchDay(doc.due_date)}`,
    // Lines: description, quantity, unit, unit price HT, VAT rate, total.
    ...doc.lines.flatMap((l) => [l.description.split('\n')[0].slice(0, 20), euros(l.unit_price_cents), euros(l.net_cents)]),
    // Totals: HT, VAT per rate, TTC.
    `Total HT ${euros(t.total_ht_cents)}`,
    ...t.vat.map((g) => `sur ${euros(g.base_cents)} ${euros(g.vat_cents)}`),
    `Total TVA ${euros(t.total_vat_cents)}`,
    euros(t.total_ttc_cents),
    // Payment terms, penalties, €40 indemnity, escompte, bank details.
    `Conditions de paiement : ${doc.payment_terms}`,
    `au taux annuel de ${percent(doc.late_penalty_rate_bps)}`,
    'Indemnité forfaitaire pour frais de recouvrement',
    euros(doc.recovery_indemnity_cents),
    doc.early_payment_discount,
    'IBAN FR76 3000 6000 0112 3456 7890 189',
    `BIC ${s.bic}`,
    // Reform: operation category.
    "Catégorie de l'opération : ",
  ]
}

function expectMentions(text: string, mentions: string[]) {
  const flat = text.replace(/\s+/g, ' ')
  const missing = mentions.filter((m) => !flat.includes(m.replace(/\s+/g, ' ')))
  expect(missing, `missing in:\n${text}`).toEqual([])
}

describe('invoice PDF (Factur-X, PDF/A-3b)', () => {
  it('an invoice prints every mandatory mention: three rates, discounts, delivery address, références, débits option', async () => {
    const text = pdfText(write(await render(invoice), 'facture.pdf'))
    expectMentions(text, [
      ...commonMentions(invoice),
      'FACTURE',
      'ADRESSE DE LIVRAISON',
      'Entrepôt Nord, 8 allée des Fours',
      "Catégorie de l'opération : Mixte (livraison de biens et prestation de services)",
      "Option pour le paiement de la TVA d'après les débits",
      `Total HT avant remise ${euros(invoice.totals.lines_net_cents)}`,
      `Remise globale (5 %) -${euros(invoice.totals.global_discount_cents)}`,
      'Votre commande : BC-2211',
      'Contrat : CTR-17',
      'TVA 5,5 %',
      'jour',
      '0,333',
    ])
  })

  it('a deposit invoice says so, with its share', async () => {
    const text = pdfText(write(await render(deposit), 'acompte.pdf'))
    expectMentions(text, [
      ...commonMentions(deposit),
      "FACTURE D'ACOMPTE",
      "Facture d'acompte de 30 % à la commande",
      "Catégorie de l'opération : Prestation de services",
    ])
  })

  it('the final invoice deducts the deposit and shows the amount due', async () => {
    const text = pdfText(write(await render(final), 'facture-finale.pdf'))
    expectMentions(text, [
      ...commonMentions(final),
      `Acompte déduit : facture n° ${deposit.number} du ${frenchDay(deposit.issue_date)}`,
      `-${euros(deposit.totals.total_ttc_cents)}`,
      `dont TVA ${euros(deposit.totals.total_vat_cents)}`,
      `Net à payer ${euros(final.amount_due_cents)}`,
    ])
  })

  it('a credit note says "Avoir", names the invoice it corrects, and prints the exemption of its 0 % line', async () => {
    const text = pdfText(write(await render(credit), 'avoir.pdf'))
    expectMentions(text, [
      ...commonMentions(credit),
      'AVOIR',
      `Avoir sur la facture n° ${invoice.number} du ${frenchDay(invoice.issue_date)}`,
      'Exonération de TVA, article 261, 4, 4° du CGI',
      "Total TTC de l'avoir",
    ])
  })

  it('under the franchise: "TVA non applicable, art. 293 B du CGI", no VAT number', async () => {
    const text = pdfText(write(await render(franchise), 'franchise.pdf'))
    expectMentions(text, ['TVA non applicable, art. 293 B du CGI', 'Studio Lune (EI)', `Total TVA ${euros(0)}`])
    expect(text).not.toContain('N° TVA FR44')
  })

  it('is a PDF/A-3 with factur-x.xml embedded (AFRelationship Data, /AF), Factur-X XMP, output intent and /ID', async () => {
    const bytes = await render(invoice)
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false })
    const catalog = pdf.catalog
    const af = catalog.lookup(PDFName.of('AF'), PDFArray)
    expect(af.size()).toBe(1)
    const spec = af.lookup(0, PDFDict)
    expect(spec.lookup(PDFName.of('AFRelationship'))).toBe(PDFName.of('Data'))
    expect(spec.lookup(PDFName.of('UF'))?.toString()).toBe('(factur-x.xml)')
    const ef = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'), PDFStream)
    expect(ef.dict.lookup(PDFName.of('Subtype'))).toBe(PDFName.of('text/xml'))
    expect(ef.dict.lookup(PDFName.of('Params'), PDFDict).get(PDFName.of('ModDate'))).toBeDefined()
    const embedded = new TextDecoder().decode(decodePDFRawStream(ef as PDFRawStream).decode())
    expect(embedded).toBe(buildCiiXml(invoice))
    // The attachment is also listed in the name tree (what readers show).
    expect(catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict)).toBeDefined()

    const meta = catalog.lookup(PDFName.of('Metadata'), PDFStream) as PDFRawStream
    const xmp = new TextDecoder().decode(decodePDFRawStream(meta).decode())
    expect(xmp).toMatch(/<pdfaid:part>3<\/pdfaid:part>|pdfaid:part="3"/)
    expect(xmp).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>|pdfaid:conformance="B"/)
    expect(xmp).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>')
    expect(xmp).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>')
    expect(xmp).toContain('Factur-X PDFA Extension Schema')

    const intent = catalog.lookup(PDFName.of('OutputIntents'), PDFArray).lookup(0, PDFDict)
    expect(intent.lookup(PDFName.of('S'))).toBe(PDFName.of('GTS_PDFA1'))
    expect(intent.lookup(PDFName.of('DestOutputProfile'))).toBeInstanceOf(PDFStream)
    expect(pdf.context.trailerInfo.ID).toBeDefined()
    expect(pdf.getCreationDate()?.toISOString()).toBe(new Date(invoice.issued_at).toISOString())
    // Every font is embedded (PDF/A): no standard-14 font without a file.
    const raw = Buffer.from(bytes).toString('latin1')
    expect(raw).toContain('/FontFile2')
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/)
  })

  it("poppler's pdfdetach extracts factur-x.xml (the /UF pitfall)", async () => {
    const file = write(await render(final), 'detach.pdf')
    expect(execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' })).toContain('factur-x.xml')
    const out = path.join(tmp, 'factur-x.xml')
    execFileSync('pdfdetach', ['-save', '1', '-o', out, file])
    expect(fs.readFileSync(out, 'utf8')).toBe(buildCiiXml(final))
  })

  it('two renders of the same document are byte-identical (logo included)', async () => {
    const logo = { contentType: 'image/png', bytes: new Uint8Array(fs.readFileSync(path.join(process.cwd(), 'public/icons/icon-192.png'))) }
    const a = await renderInvoiceDocument(credit, { logo })
    const b = await renderInvoiceDocument(credit, { logo })
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0)
    expect(Buffer.compare(Buffer.from(await render(invoice)), Buffer.from(await renderInvoiceDocument(invoice, { logo: null })))).toBe(0)
  })

  it('a document breaking a business rule is refused before drawing, in French', async () => {
    const wrong = structuredClone(invoice)
    wrong.totals.total_vat_cents += 1
    await expect(renderInvoiceDocument(wrong, { logo: null })).rejects.toBeInstanceOf(DomainError)
    await expect(renderInvoiceDocument(wrong, { logo: null })).rejects.toMatchObject({
      problem: { code: 'invoice.document.invalid', params: { list: expect.stringContaining('le total de TVA') } },
    })
  })
})
