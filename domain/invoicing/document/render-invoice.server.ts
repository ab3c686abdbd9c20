import { createElement as h, type ReactElement } from 'react'
import { Document, Image, Page, renderToBuffer, StyleSheet, Text, View } from '@react-pdf/renderer'
import { pdfFont, registerPdfFonts } from '../../documents/pdf-fonts.js'
import { formatPercentFr, formatQuantityFr } from '../../sales/money.js'
import { formatIban, sellerIdentity } from '../../sales/company-settings.rules.js'
import { formatEuros } from '../../shared/money.js'
import type { InvoiceDocument } from '../invoice-document.js'
import { OPERATION_CATEGORY_LABELS } from '../invoice-rules.js'

// MINIMAL invoice page (number, parties, lines, totals, the mentions as plain text) so
// the invoicing job and its tests run. The Factur-X helper's renderer (full page, CII XML,
// PDF/A-3) replaces this file at merge, with this exact signature.

registerPdfFonts()

const pdf = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')
const euros = (c: number) => pdf(formatEuros(c))
const day = (d: string) => d.split('-').reverse().join('/')
const TITLES = { '380': 'Facture', '386': "Facture d'acompte", '381': 'Avoir' } as const

const s = StyleSheet.create({
  page: { ...pdfFont.regular, fontSize: 9, padding: 36, color: '#0f172a' },
  h1: { ...pdfFont.bold, fontSize: 16, marginBottom: 4 },
  row: { flexDirection: 'row', justifyContent: 'space-between', marginBottom: 12 },
  col: { width: '48%' },
  bold: { ...pdfFont.bold },
  th: { ...pdfFont.bold, flexDirection: 'row', borderBottomWidth: 1, paddingBottom: 2, marginTop: 8 },
  tr: { flexDirection: 'row', paddingVertical: 2, borderBottomWidth: 0.5, borderColor: '#cbd5e1' },
  desc: { width: '46%' },
  num: { width: '13.5%', textAlign: 'right' },
  totals: { marginTop: 8, marginLeft: '55%' },
  line: { flexDirection: 'row', justifyContent: 'space-between' },
  small: { fontSize: 7.5, marginTop: 2 },
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- react-pdf style arrays and objects
const t = (text: string, style?: any) => h(Text, { style } as object, pdf(text))

function InvoicePage({ doc, logo }: { doc: InvoiceDocument; logo: { contentType: string; bytes: Uint8Array } | null }): ReactElement {
  const seller = doc.seller
  const b = doc.buyer
  const addr = (a: InvoiceDocument['buyer']['billing_address']) => [a.line1, [a.postal_code, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')
  const mentions = [
    `Date d'échéance : ${day(doc.due_date)} — Conditions de paiement : ${doc.payment_terms}`,
    `Pénalités de retard : ${formatPercentFr(doc.late_penalty_rate_bps)} par an (taux annuel) à compter du lendemain de l'échéance.`,
    `Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : ${euros(doc.recovery_indemnity_cents)} (art. D441-5 du Code de commerce).`,
    `Escompte : ${doc.early_payment_discount}`,
    `Catégorie de l'opération : ${OPERATION_CATEGORY_LABELS[doc.operation_category]}`,
    ...(doc.vat_on_debits ? ["Option pour le paiement de la TVA d'après les débits"] : []),
    ...(seller.vat_franchise ? ['TVA non applicable, art. 293 B du CGI'] : []),
    ...[...new Set(doc.lines.map((l) => l.vat_exemption).filter((x): x is string => !!x))],
    ...(seller.iban ? [`IBAN ${formatIban(seller.iban)}${seller.bic ? ` — BIC ${seller.bic}` : ''}`] : []),
  ]
  return h(
    Document,
    { title: `${TITLES[doc.type_code]} ${doc.number}`, author: seller.name, creator: 'Alforis CRM', producer: 'Alforis CRM', language: 'fr-FR' },
    h(
      Page,
      { size: 'A4', style: s.page },
      logo
        ? h(Image, { src: { data: Buffer.from(logo.bytes), format: logo.contentType === 'image/png' ? 'png' : 'jpg' }, style: { width: 90, marginBottom: 8 } })
        : null,
      t(`${TITLES[doc.type_code]} n° ${doc.number}`, s.h1),
      t(`Date d'émission : ${day(doc.issue_date)} — Date de la vente ou de la prestation : ${day(doc.delivery_date ?? doc.issue_date)}`),
      doc.preceding_invoice ? t(`Avoir sur la facture n° ${doc.preceding_invoice.number} du ${day(doc.preceding_invoice.issue_date)}`) : null,
      doc.quote_number ? t(`Devis n° ${doc.quote_number}`) : null,
      doc.buyer_order_reference ? t(`Référence de commande : ${doc.buyer_order_reference}`) : null,
      h(
        View,
        { style: [s.row, { marginTop: 12 }] },
        h(
          View,
          { style: s.col },
          t('Vendeur', s.bold),
          t(seller.name),
          t(addr(seller.address)),
          ...sellerIdentity({ ...seller, address: null, postal_code: null, city: null } as never).map((x) => t(x, s.small)),
        ),
        h(
          View,
          { style: s.col },
          t('Client', s.bold),
          t(b.name),
          t(addr(b.billing_address)),
          b.siren ? t(`SIREN ${b.siren}`, s.small) : null,
          b.vat_number ? t(`N° TVA ${b.vat_number}`, s.small) : null,
          b.delivery_address ? t(`Livraison : ${addr(b.delivery_address)}`, s.small) : null,
        ),
      ),
      h(View, { style: s.th }, t('Désignation', s.desc), t('Qté', s.num), t('PU HT', s.num), t('TVA', s.num), t('Total HT', s.num)),
      ...doc.lines.map((l) =>
        h(
          View,
          { key: l.position, style: s.tr, wrap: false },
          t(`${l.description}${l.discount_cents ? ` (remise ${euros(l.discount_cents)})` : ''}`, s.desc),
          t(`${formatQuantityFr(l.quantity)}${l.unit ? ` ${l.unit}` : ''}`, s.num),
          t(euros(l.unit_price_cents), s.num),
          t(formatPercentFr(l.vat_rate), s.num),
          t(euros(l.net_cents), s.num),
        ),
      ),
      h(
        View,
        { style: s.totals, wrap: false },
        doc.totals.global_discount_cents ? h(View, { style: s.line }, t('Remise'), t(`- ${euros(doc.totals.global_discount_cents)}`)) : null,
        h(View, { style: s.line }, t('Total HT'), t(euros(doc.totals.total_ht_cents))),
        ...doc.totals.vat.map((g) =>
          h(View, { key: `${g.rate}${g.exemption}`, style: s.line }, t(`TVA ${formatPercentFr(g.rate)} sur ${euros(g.base_cents)}`), t(euros(g.vat_cents))),
        ),
        h(View, { style: s.line }, t('Total TTC', s.bold), t(euros(doc.totals.total_ttc_cents), s.bold)),
        ...doc.deducted_deposits.map((d) => h(View, { key: d.invoice_id, style: s.line }, t(`Acompte ${d.number}`), t(`- ${euros(d.total_ttc_cents)}`))),
        doc.deducted_deposits.length ? h(View, { style: s.line }, t('Net à payer', s.bold), t(euros(doc.amount_due_cents), s.bold)) : null,
      ),
      h(View, { style: { marginTop: 16 } }, ...mentions.map((m) => t(m, s.small))),
      doc.notes ? t(doc.notes, [s.small, { marginTop: 8 }]) : null,
    ),
  )
}

/**
 * The invoice's PDF from its frozen document (and the logo it names).
 *
 * @example const bytes = await renderInvoiceDocument(doc, { logo: null })
 */
export async function renderInvoiceDocument(doc: InvoiceDocument, opts: { logo: { contentType: string; bytes: Uint8Array } | null }): Promise<Uint8Array> {
  return new Uint8Array(await renderToBuffer(h(InvoicePage, { doc, logo: opts.logo }) as never))
}
