import { Document, Image, Page, StyleSheet, Text, View } from '@react-pdf/renderer'
import type { ReactNode } from 'react'
import { pdfFont, registerPdfFonts } from '../../documents/pdf-fonts.js'
import { HOUSE_COLORS, houseStyles } from '../../documents/pdf-house-style.js'
import { DEFAULT_BRAND_COLOR, formatIban } from '../../sales/company-settings.rules.js'
import { formatQuantityFr } from '../../sales/money.js'
import { VAT_RATE_LABELS } from '../../sales/vat.js'
import type { InvoiceDocument, InvoiceDocumentLine, PostalAddress } from '../invoice-document.js'
import {
  DEBITS_OPTION,
  depositMention,
  earlyPaymentMention,
  euros,
  exemptionMentions,
  frenchDay,
  indemnityMention,
  operationMention,
  penaltyMention,
  percent,
  precedingMention,
  sellerIdentityLine,
  TITLES,
} from './mentions.js'

// An issued invoice, deposit invoice or credit note as a French A4 page, drawn from the
// frozen document alone (plus the logo it names). Same house style as the devis
// (app/utils/quote-pdf.server.tsx): brand colour, parties side by side, lines table with
// a header repeated on each page and rows never split, totals per VAT rate, then every
// mention the law asks of an invoice (CGI art. 242 nonies A, C. com. L441-9, L441-10,
// D441-5, and the e-invoicing reform's operation category and "débits" option).

registerPdfFonts()

const pdf = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')
const C = HOUSE_COLORS

const s = StyleSheet.create({
  ...houseStyles,
  titleBox: { alignItems: 'flex-end', maxWidth: 250 },
  title: { fontSize: 22, ...pdfFont.bold, letterSpacing: 1.2, lineHeight: 1, marginBottom: 8, textAlign: 'right' },
  parties: { flexDirection: 'row', marginTop: 16, gap: 12 },
  party: { flex: 1, padding: 9, borderWidth: 1, borderColor: C.line, borderRadius: 3 },
  infoRow: { marginTop: 10, flexDirection: 'row', flexWrap: 'wrap', gap: 12 },
  totals: { marginTop: 10, marginLeft: 'auto', width: 270 },
  strong: houseStyles.strongTotal,
  mentions: { marginTop: 12, paddingTop: 6, borderTopWidth: 0.5, borderTopColor: C.line, fontSize: 7, color: C.muted },
})

const COLS = [
  { key: 'designation', label: 'Désignation', width: '40%' },
  { key: 'qty', label: 'Qté', width: '8%', num: true },
  { key: 'unit', label: 'Unité', width: '9%' },
  { key: 'price', label: 'PU HT', width: '12%', num: true },
  { key: 'discount', label: 'Remise', width: '10%', num: true },
  { key: 'vat', label: 'TVA', width: '7%', num: true },
  { key: 'total', label: 'Total HT', width: '14%', num: true },
] as const

const addressLines = (a: PostalAddress) =>
  [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(' '), a.country && a.country !== 'FR' ? a.country : null].filter(Boolean) as string[]

function LineRow({ line }: { line: InvoiceDocumentLine }) {
  const [first, ...rest] = line.description.split('\n')
  const cells: Record<(typeof COLS)[number]['key'], ReactNode> = {
    designation: (
      <View>
        <Text style={s.bold}>{pdf(line.code ? `${line.code} — ${first}` : first)}</Text>
        {rest.length ? <Text style={s.small}>{pdf(rest.join('\n'))}</Text> : null}
        {line.vat_rate === 0 && line.vat_exemption ? <Text style={s.small}>{pdf(line.vat_exemption)}</Text> : null}
      </View>
    ),
    qty: formatQuantityFr(line.quantity),
    unit: line.unit ?? '',
    price: euros(line.unit_price_cents),
    discount:
      line.discount_cents > 0 ? (
        <View>
          <Text style={s.num}>-{euros(line.discount_cents)}</Text>
          {line.discount?.kind === 'percent' ? <Text style={[s.num, s.small]}>({percent(line.discount.bps)})</Text> : null}
        </View>
      ) : null,
    vat: pdf(VAT_RATE_LABELS[line.vat_rate]),
    total: euros(line.net_cents),
  }
  return (
    <View style={s.tr} wrap={false}>
      {COLS.map((c) => (
        <View key={c.key} style={{ width: c.width, paddingRight: 3 }}>
          {typeof cells[c.key] === 'string' ? <Text style={'num' in c ? s.num : {}}>{cells[c.key]}</Text> : cells[c.key]}
        </View>
      ))}
    </View>
  )
}

const Row = ({ label, value, note, style }: { label: string; value: string; note?: string; style?: (typeof s)[keyof typeof s] }) => (
  <View style={[s.totalRow, style ?? {}]}>
    <View style={{ flex: 1, paddingRight: 6 }}>
      <Text>{label}</Text>
      {note ? <Text style={s.small}>{note}</Text> : null}
    </View>
    <Text style={{ flexShrink: 0 }}>{value}</Text>
  </View>
)

export type InvoiceLogo = { contentType: string; bytes: Uint8Array }

export function InvoicePage({ doc, logo }: { doc: InvoiceDocument; logo: InvoiceLogo | null }) {
  const brand = doc.seller.brand_color || DEFAULT_BRAND_COLOR
  const seller = doc.seller
  const buyer = doc.buyer
  const t = doc.totals
  const title = TITLES[doc.type_code]
  const isCredit = doc.type_code === '381'
  const preceding = precedingMention(doc)
  const deposit = depositMention(doc)
  const exemptions = exemptionMentions(doc)
  const prepaid = doc.deducted_deposits.reduce((x, d) => x + d.total_ttc_cents, 0)
  return (
    <Document
      title={`${title} ${doc.number}`}
      author={seller.name}
      subject={`${title} ${doc.number} — ${buyer.name}`}
      creator="Alforis CRM"
      producer="Alforis CRM"
      language="fr-FR"
    >
      <Page size="A4" style={s.page}>
        <View style={s.header}>
          <View style={{ maxWidth: 280 }}>
            {logo ? <Image style={s.logo} src={{ data: Buffer.from(logo.bytes), format: logo.contentType === 'image/png' ? 'png' : 'jpg' }} /> : null}
            <Text style={[s.sellerName, { color: brand }]}>{pdf(seller.name)}</Text>
            {addressLines(seller.address).map((l) => (
              <Text key={l}>{pdf(l)}</Text>
            ))}
            {seller.phone ? <Text>Tél. {pdf(seller.phone)}</Text> : null}
            {seller.email ? <Text>{seller.email}</Text> : null}
          </View>
          <View style={s.titleBox}>
            <Text style={[s.title, { color: brand }]}>{title.toUpperCase()}</Text>
            <Text style={[s.meta, s.bold]}>N° {pdf(doc.number)}</Text>
            <Text style={s.meta}>
              {isCredit ? "Date de l'avoir" : 'Date de la facture'} : {frenchDay(doc.issue_date)}
            </Text>
            {doc.delivery_date ? <Text style={s.meta}>Date de la vente ou de la prestation : {frenchDay(doc.delivery_date)}</Text> : null}
            <Text style={s.meta}>Échéance : {frenchDay(doc.due_date)}</Text>
            {preceding ? <Text style={[s.meta, s.bold]}>{pdf(preceding)}</Text> : null}
          </View>
        </View>

        <View style={s.parties}>
          <View style={s.party}>
            <Text style={s.partyLabel}>Vendeur</Text>
            <Text style={s.bold}>{pdf(seller.legal_form ? `${seller.name} (${seller.legal_form})` : seller.name)}</Text>
            {seller.share_capital_cents !== null ? <Text>Capital social : {euros(seller.share_capital_cents)}</Text> : null}
            {seller.siren ? <Text>SIREN {seller.siren}</Text> : null}
            {seller.siret ? <Text>SIRET {seller.siret}</Text> : null}
            {seller.rcs_city && seller.siren ? <Text>RCS {pdf(seller.rcs_city)}</Text> : null}
            {seller.vat_number ? <Text>N° TVA {seller.vat_number}</Text> : null}
          </View>
          <View style={s.party}>
            <Text style={s.partyLabel}>Client — facturation</Text>
            <Text style={s.bold}>{pdf(buyer.name)}</Text>
            {buyer.contact_name ? <Text>À l'attention de {pdf(buyer.contact_name)}</Text> : null}
            {addressLines(buyer.billing_address).map((l) => (
              <Text key={l}>{pdf(l)}</Text>
            ))}
            {buyer.siren ? <Text>SIREN {buyer.siren}</Text> : null}
            {buyer.vat_number ? <Text>N° TVA {buyer.vat_number}</Text> : null}
            {buyer.customer_code ? <Text style={s.small}>Code client : {pdf(buyer.customer_code)}</Text> : null}
          </View>
          {buyer.delivery_address ? (
            <View style={s.party}>
              <Text style={s.partyLabel}>Adresse de livraison</Text>
              {addressLines(buyer.delivery_address).map((l) => (
                <Text key={l}>{pdf(l)}</Text>
              ))}
            </View>
          ) : null}
        </View>

        <View style={s.infoRow}>
          <Text>{operationMention(doc)}</Text>
          {doc.vat_on_debits ? <Text style={s.bold}>{DEBITS_OPTION}</Text> : null}
        </View>
        {doc.buyer_order_reference || doc.contract_reference || doc.quote_number || deposit ? (
          <View style={s.infoRow}>
            {deposit ? <Text style={s.bold}>{pdf(deposit)}</Text> : null}
            {doc.buyer_order_reference ? <Text>Votre commande : {pdf(doc.buyer_order_reference)}</Text> : null}
            {doc.contract_reference ? <Text>Contrat : {pdf(doc.contract_reference)}</Text> : null}
            {doc.quote_number ? <Text>Devis : {pdf(doc.quote_number)}</Text> : null}
          </View>
        ) : null}

        <View style={s.table}>
          <View style={[s.th, { backgroundColor: brand }]} fixed>
            {COLS.map((c) => (
              <Text key={c.key} style={[{ width: c.width, paddingRight: 3 }, 'num' in c ? s.num : {}]}>
                {c.label}
              </Text>
            ))}
          </View>
          {doc.lines.map((l) => (
            <LineRow key={l.position} line={l} />
          ))}
        </View>

        <View style={s.totals} wrap={false}>
          {t.global_discount_cents > 0 ? (
            <>
              <Row label="Total HT avant remise" value={euros(t.lines_net_cents)} />
              <Row
                label={`Remise globale${doc.global_discount?.kind === 'percent' ? ` (${percent(doc.global_discount.bps)})` : ''}`}
                value={`-${euros(t.global_discount_cents)}`}
              />
            </>
          ) : null}
          <Row label="Total HT" value={euros(t.total_ht_cents)} style={s.bold} />
          {t.vat.map((g) => (
            <Row
              key={`${g.rate}|${g.exemption ?? ''}`}
              label={`TVA ${g.rate === 0 ? '0 %' : pdf(VAT_RATE_LABELS[g.rate])} sur ${euros(g.base_cents)}`}
              value={euros(g.vat_cents)}
            />
          ))}
          <Row label="Total TVA" value={euros(t.total_vat_cents)} />
          {prepaid > 0 ? (
            <>
              <Row label="Total TTC" value={euros(t.total_ttc_cents)} style={s.bold} />
              {doc.deducted_deposits.map((d) => (
                <Row
                  key={d.invoice_id}
                  label={`Acompte déduit : facture n° ${pdf(d.number)} du ${frenchDay(d.issue_date)}`}
                  note={`dont TVA ${euros(d.total_vat_cents)} (HT ${euros(d.total_ht_cents)})`}
                  value={`-${euros(d.total_ttc_cents)}`}
                />
              ))}
              <View style={[s.strong, { backgroundColor: brand }]}>
                <Text>Net à payer</Text>
                <Text>{euros(doc.amount_due_cents)}</Text>
              </View>
            </>
          ) : (
            <View style={[s.strong, { backgroundColor: brand }]}>
              <Text>{isCredit ? "Total TTC de l'avoir" : 'Total TTC — net à payer'}</Text>
              <Text>{euros(t.total_ttc_cents)}</Text>
            </View>
          )}
        </View>

        <View style={s.section} wrap={false}>
          <Text style={[s.h2, { color: brand }]}>{isCredit ? 'Remboursement' : 'Règlement'}</Text>
          <Text>
            {isCredit ? 'Avoir à déduire ou à rembourser' : 'À payer'} au plus tard le {frenchDay(doc.due_date)}.
          </Text>
          <Text>Conditions de paiement : {pdf(doc.payment_terms)}</Text>
          {seller.iban ? (
            <Text>
              Virement : IBAN {formatIban(seller.iban)}
              {seller.bic ? ` — BIC ${seller.bic}` : ''}
            </Text>
          ) : null}
          <Text>Référence à rappeler : {pdf(doc.number)}</Text>
        </View>
        {doc.notes ? (
          <View style={s.section}>
            <Text style={[s.h2, { color: brand }]}>Notes</Text>
            <Text>{pdf(doc.notes)}</Text>
          </View>
        ) : null}

        <View style={s.mentions} wrap={false}>
          <Text>{pdf(penaltyMention(doc))}</Text>
          <Text>{pdf(indemnityMention(doc))}</Text>
          <Text>{pdf(earlyPaymentMention(doc))}</Text>
          {exemptions.map((m) => (
            <Text key={m}>{pdf(m)}.</Text>
          ))}
          <Text>{sellerIdentityLine(doc)}.</Text>
          <Text>Facture électronique au format Factur-X (profil EN 16931) : les données structurées sont jointes à ce PDF.</Text>
        </View>

        <Text style={s.footerLeft} fixed>
          {pdf(`${title} n° ${doc.number} du ${frenchDay(doc.issue_date)} — ${seller.name}`)}
        </Text>
        <Text style={s.footerRight} fixed render={({ pageNumber, totalPages }) => `Page ${pageNumber}/${totalPages}`} />
      </Page>
    </Document>
  )
}
