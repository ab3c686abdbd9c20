import { Document, Image, Page, renderToBuffer, StyleSheet, Text, View } from '@react-pdf/renderer'
import { pdfFont, registerPdfFonts } from '../../domain/documents/pdf-fonts'
import { HOUSE_COLORS, houseStyles } from '../../domain/documents/pdf-house-style'
import type { ReactNode } from 'react'
import { formatIban, legalMentions } from '../../domain/sales/company-settings.rules'
import { formatPercentFr, formatQuantityFr } from '../../domain/sales/money'
import { formatEuros } from '../../domain/shared/money'
import type { QuoteSnapshot, SnapshotLine } from '../../domain/sales/quote-snapshot'
import { VAT_RATE_LABELS } from '../../domain/sales/vat'
import { DEFAULT_BRAND_COLOR } from '../../domain/sales/company-settings.rules'

// A quote as a French devis, A4 (react-pdf, server side only). It is drawn from a
// version's snapshot alone (plus the logo it names), so a sent version prints the same
// figures, mentions and colour forever; the screen shows the same snapshot. The lines
// table repeats its header on each page and never splits a row; every page carries
// "Page n/N" and the version's SHA-256. A signed copy adds the signature and an audit
// block (who, when in Paris, IP, browser, hash of the exact version signed).

// DejaVu Sans, embedded, every character printed; no hyphenation (domain/documents/pdf-fonts.ts).
registerPdfFonts()

// fr-FR's narrow no-break space comes back out of text extraction (copy-paste) badly:
// plain spaces.
const pdf = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')
const euros = (c: number) => pdf(formatEuros(c))
const frenchDay = (day: string) => day.split('-').reverse().join('/')
const parisDateTime = (d: Date) => pdf(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'medium' }).format(d))

export type SignatureAudit = {
  signerName: string
  /** The signer's "qualité". */
  signerTitle: string | null
  signedAt: Date
  ip: string | null
  userAgent: string | null
  method: 'drawn' | 'typed'
  /** The drawn signature (PNG), when drawn. */
  image: Buffer | null
  /** SHA-256 of the version's PDF the signer received (what anyone can recompute from their copy). */
  versionPdfSha256: string | null
}

export type QuotePdfInput = {
  snapshot: QuoteSnapshot
  /** The version's SHA-256 (quote_versions.sha256); null for a draft preview. */
  sha256: string | null
  logo: { bytes: Buffer; contentType: string } | null
  /** A draft preview: watermarked, no hash. */
  draft?: boolean
  signature?: SignatureAudit | null
}

const C = HOUSE_COLORS

const s = StyleSheet.create({
  ...houseStyles,
  titleBox: { alignItems: 'flex-end' },
  title: { fontSize: 24, ...pdfFont.bold, letterSpacing: 1.5, lineHeight: 1, marginBottom: 8 },
  parties: { flexDirection: 'row', marginTop: 18, gap: 16 },
  party: { flex: 1, padding: 10, borderWidth: 1, borderColor: C.line, borderRadius: 3 },
  subject: { marginTop: 14, fontSize: 10 },
  totals: { marginTop: 10, marginLeft: 'auto', width: 250 },
  ttc: houseStyles.strongTotal,
  mentions: { marginTop: 14, paddingTop: 6, borderTopWidth: 0.5, borderTopColor: C.line, fontSize: 7, color: C.muted },
  signRow: { flexDirection: 'row', gap: 16, marginTop: 16 },
  signBox: { flex: 1, borderWidth: 1, borderColor: C.line, borderRadius: 3, padding: 10, minHeight: 96 },
  audit: { marginTop: 14, padding: 10, borderWidth: 1, borderRadius: 3, backgroundColor: C.soft },
  watermark: {
    position: 'absolute',
    top: 360,
    left: 40,
    right: 40,
    textAlign: 'center',
    fontSize: 60,
    color: '#e5e7eb',
    ...pdfFont.bold,
    transform: 'rotate(-30deg)',
  },
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

// A line discount reads the same whichever way it was typed: the amount taken off in
// euros, and the rate under it when it was given as a rate.
function DiscountCell({ line: l }: { line: SnapshotLine }) {
  if (!l.discount || l.discount_cents === 0) return null
  return (
    <View>
      <Text style={s.num}>-{euros(l.discount_cents)}</Text>
      {l.discount.kind === 'percent' ? <Text style={[s.num, s.small]}>({pdf(formatPercentFr(l.discount.bps))})</Text> : null}
    </View>
  )
}

function LineRow({ line }: { line: SnapshotLine }) {
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
    discount: <DiscountCell line={line} />,
    vat: pdf(VAT_RATE_LABELS[line.vat_rate]),
    total: euros(line.net_cents),
  }
  return (
    // A row never splits across pages.
    <View style={s.tr} wrap={false}>
      {COLS.map((c) => (
        <View key={c.key} style={{ width: c.width, paddingRight: 3 }}>
          {typeof cells[c.key] === 'string' ? <Text style={'num' in c ? s.num : {}}>{cells[c.key]}</Text> : cells[c.key]}
        </View>
      ))}
    </View>
  )
}

const address = (p: { address?: string | null; postal_code?: string | null; city?: string | null }) =>
  [p.address, [p.postal_code, p.city].filter(Boolean).join(' ')].filter(Boolean) as string[]

export function QuoteDocument({ snapshot: q, sha256, logo, draft, signature }: QuotePdfInput) {
  const brand = q.seller.brand_color ?? DEFAULT_BRAND_COLOR
  const seller = q.seller
  const t = q.totals
  const version = `${q.number} — version ${q.revision}`
  const mentions = legalMentions(seller, { vat: t.vat })
  const contact = q.contact
  return (
    <Document
      title={`Devis ${q.number} v${q.revision}`}
      author={seller.name}
      subject={q.title ?? `Devis ${q.number}`}
      creator="Alforis CRM"
      producer="Alforis CRM"
      language="fr-FR"
    >
      <Page size="A4" style={s.page}>
        {draft ? (
          <Text style={s.watermark} fixed>
            BROUILLON
          </Text>
        ) : null}
        <View style={s.header}>
          <View style={{ maxWidth: 280 }}>
            {logo ? <Image style={s.logo} src={{ data: logo.bytes, format: logo.contentType === 'image/png' ? 'png' : 'jpg' }} /> : null}
            <Text style={[s.sellerName, { color: brand }]}>{pdf(seller.name)}</Text>
            {address(seller).map((l) => (
              <Text key={l}>{pdf(l)}</Text>
            ))}
            {seller.phone ? <Text>Tél. {pdf(seller.phone)}</Text> : null}
            {seller.email ? <Text>{seller.email}</Text> : null}
          </View>
          <View style={s.titleBox}>
            <Text style={[s.title, { color: brand }]}>DEVIS</Text>
            <Text style={[s.meta, s.bold]}>
              N° {q.number}
              {q.revision > 1 ? ` — version ${q.revision}` : ''}
            </Text>
            <Text style={s.meta}>Date : {frenchDay(q.issue_date)}</Text>
            <Text style={s.meta}>Valable jusqu'au : {frenchDay(q.valid_until)}</Text>
            {draft ? <Text style={[s.meta, { color: '#b91c1c' }]}>Aperçu — document non envoyé</Text> : null}
          </View>
        </View>

        <View style={s.parties}>
          <View style={s.party}>
            <Text style={s.partyLabel}>Émetteur</Text>
            <Text style={s.bold}>{pdf(seller.legal_form ? `${seller.name} (${seller.legal_form})` : seller.name)}</Text>
            {seller.siret ? <Text>SIRET {seller.siret}</Text> : seller.siren ? <Text>SIREN {seller.siren}</Text> : null}
            {seller.vat_number ? <Text>TVA {seller.vat_number}</Text> : null}
          </View>
          <View style={s.party}>
            <Text style={s.partyLabel}>Client</Text>
            <Text style={s.bold}>{pdf(q.customer.name)}</Text>
            {contact ? (
              <Text>
                {pdf(["À l'attention de", contact.civility, contact.first_name, contact.last_name].filter(Boolean).join(' '))}
                {contact.job_title ? pdf(`, ${contact.job_title}`) : ''}
              </Text>
            ) : null}
            {address(q.customer).map((l) => (
              <Text key={l}>{pdf(l)}</Text>
            ))}
            {q.customer.siret ? <Text>SIRET {q.customer.siret}</Text> : q.customer.siren ? <Text>SIREN {q.customer.siren}</Text> : null}
            {q.customer.vat_number ? <Text>TVA {q.customer.vat_number}</Text> : null}
          </View>
        </View>

        {q.title ? (
          <Text style={s.subject}>
            <Text style={s.bold}>Objet : </Text>
            {pdf(q.title)}
          </Text>
        ) : null}

        <View style={s.table}>
          {/* Repeated at the top of every page the table runs onto. */}
          <View style={[s.th, { backgroundColor: brand }]} fixed>
            {COLS.map((c) => (
              <Text key={c.key} style={[{ width: c.width, paddingRight: 3 }, 'num' in c ? s.num : {}]}>
                {c.label}
              </Text>
            ))}
          </View>
          {q.lines.map((l) => (
            <LineRow key={l.position} line={l} />
          ))}
        </View>

        <View style={s.totals} wrap={false}>
          {t.global_discount_cents > 0 ? (
            <>
              <View style={s.totalRow}>
                <Text>Total HT avant remise</Text>
                <Text>{euros(t.lines_net_cents)}</Text>
              </View>
              <View style={s.totalRow}>
                <Text>Remise globale{q.global_discount?.kind === 'percent' ? ` (${pdf(formatPercentFr(q.global_discount.bps))})` : ''}</Text>
                <Text>-{euros(t.global_discount_cents)}</Text>
              </View>
            </>
          ) : null}
          <View style={[s.totalRow, s.bold]}>
            <Text>Total HT</Text>
            <Text>{euros(t.total_ht_cents)}</Text>
          </View>
          {t.vat.map((g) => (
            <View key={`${g.rate}|${g.exemption ?? ''}`} style={s.totalRow}>
              <Text>
                {g.rate === 0 ? 'TVA 0 %' : `TVA ${pdf(VAT_RATE_LABELS[g.rate])}`} sur {euros(g.base_cents)}
              </Text>
              <Text>{euros(g.vat_cents)}</Text>
            </View>
          ))}
          <View style={s.totalRow}>
            <Text>Total TVA</Text>
            <Text>{euros(t.total_vat_cents)}</Text>
          </View>
          <View style={[s.ttc, { backgroundColor: brand }]}>
            <Text>Total TTC</Text>
            <Text>{euros(t.total_ttc_cents)}</Text>
          </View>
        </View>

        <View style={s.section} wrap={false}>
          <Text style={[s.h2, { color: brand }]}>Conditions</Text>
          <Text>
            Offre valable {q.validity_days} jours, jusqu'au {frenchDay(q.valid_until)} inclus.
          </Text>
          {q.payment_terms ? <Text>Paiement : {pdf(q.payment_terms)}</Text> : null}
          {seller.iban ? (
            <Text>
              Règlement par virement : IBAN {formatIban(seller.iban)}
              {seller.bic ? ` — BIC ${seller.bic}` : ''}
            </Text>
          ) : null}
        </View>
        {q.notes ? (
          <View style={s.section}>
            <Text style={[s.h2, { color: brand }]}>Notes</Text>
            <Text>{pdf(q.notes)}</Text>
          </View>
        ) : null}

        {/* The signature block, its audit trail and the legal mentions stay on one page: the
            mentions never fall alone onto a blank last page. */}
        <View wrap={false}>
          <View style={s.signRow}>
            <View style={[s.signBox, { flex: 0.8 }]}>
              <Text style={[s.h2, { color: brand }]}>Pour {pdf(seller.name)}</Text>
              <Text style={s.small}>Devis établi le {frenchDay(q.issue_date)}.</Text>
            </View>
            <View style={s.signBox}>
              <Text style={[s.h2, { color: brand }]}>Bon pour accord — le client</Text>
              {signature ? (
                <>
                  <Text>Date : {parisDateTime(signature.signedAt)}</Text>
                  <Text>Nom du signataire : {pdf(signature.signerName)}</Text>
                  {signature.signerTitle ? <Text>Qualité : {pdf(signature.signerTitle)}</Text> : null}
                  {signature.image ? (
                    <Image style={{ height: 50, maxWidth: 200, objectFit: 'contain', marginTop: 4 }} src={{ data: signature.image, format: 'png' }} />
                  ) : (
                    <Text style={{ ...pdfFont.oblique, fontSize: 14, marginTop: 8 }}>{pdf(signature.signerName)}</Text>
                  )}
                </>
              ) : (
                <>
                  <Text style={s.small}>Date, nom, qualité et signature, précédés de la mention « Bon pour accord ».</Text>
                  <Text style={{ marginTop: 10 }}>Date :</Text>
                  <Text style={{ marginTop: 6 }}>Nom et qualité :</Text>
                  <Text style={{ marginTop: 6 }}>Signature :</Text>
                </>
              )}
            </View>
          </View>

          {signature && sha256 ? (
            <View style={[s.audit, { borderColor: brand }]}>
              <Text style={[s.h2, { color: brand }]}>Piste d’audit de la signature</Text>
              <Text>
                Signataire : {pdf(signature.signerName)}
                {signature.signerTitle ? pdf(`, ${signature.signerTitle}`) : ''}
              </Text>
              <Text>Signé le : {parisDateTime(signature.signedAt)} (heure de Paris)</Text>
              <Text>
                Méthode : {signature.method === 'drawn' ? "signature manuscrite tracée à l'écran" : "nom complet saisi et case « J'accepte ce devis » cochée"}
              </Text>
              <Text>Adresse IP : {signature.ip ?? 'inconnue'}</Text>
              <Text>Navigateur : {pdf((signature.userAgent ?? 'inconnu').slice(0, 300))}</Text>
              <Text>
                Document signé : devis {q.number}, version {q.revision}
              </Text>
              {signature.versionPdfSha256 ? <Text>Empreinte SHA-256 du PDF du devis reçu et signé : {signature.versionPdfSha256}</Text> : null}
              <Text style={s.small}>Empreinte SHA-256 du contenu de la version : {sha256}</Text>
            </View>
          ) : null}

          <View style={s.mentions}>
            {mentions.map((m) => (
              <Text key={m}>{pdf(m)}</Text>
            ))}
          </View>
        </View>

        {/* Fixed texts repeat on every page; a render prop gets the page numbers. */}
        <Text style={s.footerLeft} fixed>
          {pdf(version)}
          {draft ? ' — brouillon' : ''}
          {sha256 ? `  ·  SHA-256 : ${sha256}` : ''}
        </Text>
        <Text style={s.footerRight} fixed render={({ pageNumber, totalPages }) => `Page ${pageNumber}/${totalPages}`} />
      </Page>
    </Document>
  )
}

/** The devis as PDF bytes. */
export async function renderQuotePdf(input: QuotePdfInput): Promise<Buffer> {
  return renderToBuffer(<QuoteDocument {...input} />)
}

/** "devis-DEV-2026-0042-v2.pdf" */
export const quotePdfFilename = (q: Pick<QuoteSnapshot, 'number' | 'revision'>, suffix = '') => `devis-${q.number}-v${q.revision}${suffix}.pdf`
