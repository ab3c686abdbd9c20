import { computeTotals } from '../../sales/quote-totals.js'
import { DomainError, ValidationError } from '../../shared/errors.js'
import type { InvoiceDocument } from '../invoice-document.js'
import { prepaidCents, vatBreakdown } from './cii-xml.js'

// The EN 16931 business rules (BR-*, BR-CO-*, BR-S/E/AE/K/G-*) and the French mentions
// that can be checked on the frozen document itself, before any PDF is drawn: the XSD
// checks the XML's shape, these check its arithmetic and its mandatory content. A
// document that fails is refused with the list of problems in French (the full CEN
// schematron can be run by hand, see the README).

const DAY = /^\d{4}-\d{2}-\d{2}$/
const validDay = (d: string | null | undefined) =>
  !!d && DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d)
const blank = (s: string | null | undefined) => !s || !s.trim()
const eur = (c: number) => `${(c / 100).toFixed(2).replace('.', ',')} €`

/** Every rule the document breaks, as French sentences; empty when it may be issued. */
export function invoiceDocumentProblems(doc: InvoiceDocument): string[] {
  const p: string[] = []
  const s = doc.seller
  const b = doc.buyer

  // BR-01…BR-05, BR-16: identity of the document.
  if (blank(doc.number)) p.push('le numéro de facture manque (BR-02)')
  if (!validDay(doc.issue_date)) p.push("la date d'émission manque ou n'est pas une date (BR-03)")
  if (!['380', '386', '381'].includes(doc.type_code)) p.push("le type de document n'est ni une facture, ni une facture d'acompte, ni un avoir (BR-04)")
  if (doc.currency !== 'EUR') p.push('la devise doit être l’euro (BR-05)')
  if (!doc.lines.length) p.push('la facture doit comporter au moins une ligne (BR-16)')

  // Seller (BR-06, BR-08, BR-09) and the French identity mentions.
  if (blank(s.name)) p.push('le nom du vendeur manque (BR-06)')
  if (blank(s.address.country)) p.push('le pays du vendeur manque (BR-09)')
  if (blank(s.address.line1) || blank(s.address.city) || blank(s.address.postal_code)) p.push("l'adresse du vendeur est incomplète")
  if (!s.siren || !/^\d{9}$/.test(s.siren)) p.push('le SIREN du vendeur manque ou ne compte pas 9 chiffres')
  if (s.siret && !/^\d{14}$/.test(s.siret)) p.push('le SIRET du vendeur doit compter 14 chiffres')

  // Buyer (BR-07, BR-10, BR-11); a French business buyer is identified by its SIREN (reform).
  if (blank(b.name)) p.push("le nom de l'acheteur manque (BR-07)")
  if (blank(b.billing_address.country)) p.push("le pays de l'acheteur manque (BR-11)")
  if (blank(b.billing_address.line1) || blank(b.billing_address.city)) p.push("l'adresse de facturation de l'acheteur est incomplète")
  if (b.organisation_id && (b.billing_address.country || 'FR') === 'FR' && !b.siren) p.push("le SIREN de l'acheteur (entreprise française) manque")
  if (b.siren && !/^\d{9}$/.test(b.siren)) p.push("le SIREN de l'acheteur doit compter 9 chiffres")

  // Dates and payment (BR-CO-25, L441-9 / L441-10 / D441-5).
  if (!validDay(doc.due_date)) p.push("la date d'échéance manque ou n'est pas une date")
  else if (validDay(doc.issue_date) && doc.due_date < doc.issue_date) p.push("l'échéance précède la date d'émission")
  if (doc.delivery_date !== null && !validDay(doc.delivery_date)) p.push("la date de livraison ou d'exécution n'est pas une date")
  if (blank(doc.payment_terms)) p.push('les conditions de paiement manquent (BR-CO-25)')
  if (!Number.isInteger(doc.late_penalty_rate_bps) || doc.late_penalty_rate_bps <= 0) p.push('le taux des pénalités de retard manque (art. L441-10)')
  if (doc.recovery_indemnity_cents < 4_000) p.push("l'indemnité forfaitaire de recouvrement doit être d'au moins 40 € (art. D441-5)")

  // Type-specific: a credit note names the invoice it corrects (BR-FR, BT-25); a deposit its share.
  if (doc.type_code === '381' && !doc.preceding_invoice) p.push("un avoir doit mentionner la facture qu'il corrige (BT-25)")
  if (doc.preceding_invoice && (blank(doc.preceding_invoice.number) || !validDay(doc.preceding_invoice.issue_date)))
    p.push('la facture corrigée doit avoir un numéro et une date')
  if (doc.type_code !== '380' && doc.deducted_deposits.length) p.push('seule une facture finale peut déduire des acomptes')

  // Lines (BR-21…BR-26) and the arithmetic (BR-CO-10…BR-CO-16, BR-S-08/09…): the totals
  // are recomputed with the same module the issue command uses and compared to the cent.
  doc.lines.forEach((l, i) => {
    const n = i + 1
    if (blank(l.description)) p.push(`ligne ${n} : la désignation manque (BR-25)`)
    if (l.vat_rate === 0 && blank(l.vat_exemption)) p.push(`ligne ${n} : une ligne à 0 % de TVA doit porter sa mention d'exonération`)
  })
  let recomputed: ReturnType<typeof computeTotals> | null = null
  try {
    recomputed = computeTotals(doc.lines, doc.global_discount)
  } catch (e) {
    if (e instanceof ValidationError) p.push(`les lignes ne peuvent pas être chiffrées (${Object.keys(e.fieldErrors).join(', ')})`)
    else throw e
  }
  if (recomputed) {
    recomputed.lines.forEach((t, i) => {
      const l = doc.lines[i]
      if (t.gross_cents !== l.gross_cents || t.discount_cents !== l.discount_cents || t.net_cents !== l.net_cents)
        p.push(`ligne ${i + 1} : le montant HT ne correspond pas à quantité × prix unitaire − remise (${eur(t.net_cents)} attendus)`)
    })
    const t = doc.totals
    if (t.lines_net_cents !== recomputed.lines_net_cents) p.push('la somme des lignes HT est fausse (BR-CO-10)')
    if (t.global_discount_cents !== recomputed.global_discount_cents) p.push('la remise globale est fausse (BR-CO-11)')
    if (t.total_ht_cents !== recomputed.total_ht_cents) p.push('le total HT est faux (BR-CO-13)')
    const key = (g: { rate: number; exemption: string | null }) => `${g.rate}|${g.exemption ?? ''}`
    const expected = new Map(recomputed.vat.map((g) => [key(g), g]))
    if (t.vat.length !== recomputed.vat.length) p.push('la ventilation de la TVA par taux ne correspond pas aux lignes')
    for (const g of t.vat) {
      const e = expected.get(key(g))
      if (!e) p.push(`la TVA à ${g.rate / 100} % ne correspond à aucune ligne`)
      else if (e.base_cents !== g.base_cents || e.vat_cents !== g.vat_cents)
        p.push(`la TVA à ${g.rate / 100} % doit être ${eur(e.vat_cents)} sur une base de ${eur(e.base_cents)} (BR-S-08/09)`)
    }
    if (t.total_vat_cents !== t.vat.reduce((x, g) => x + g.vat_cents, 0)) p.push('le total de TVA ne fait pas la somme des taux (BR-CO-14)')
    if (t.total_ttc_cents !== t.total_ht_cents + t.total_vat_cents) p.push('le total TTC ne fait pas HT + TVA (BR-CO-15)')
  }

  // Deposits deducted and the amount due (BR-CO-16).
  for (const d of doc.deducted_deposits) {
    if (d.total_ttc_cents !== d.total_ht_cents + d.total_vat_cents) p.push(`l'acompte ${d.number} : TTC ≠ HT + TVA`)
    if (d.vat.reduce((x, g) => x + g.vat_cents, 0) !== d.total_vat_cents) p.push(`l'acompte ${d.number} : la TVA par taux ne fait pas son total`)
  }
  if (doc.amount_due_cents !== doc.totals.total_ttc_cents - prepaidCents(doc)) p.push('le net à payer ne fait pas TTC − acomptes déduits (BR-CO-16)')
  if (doc.amount_due_cents < 0) p.push('le net à payer est négatif')

  // VAT identifiers each category needs (BR-S-02, BR-E-02, BR-AE-02, BR-IC-02/11, BR-G-02).
  for (const g of vatBreakdown(doc)) {
    const code = g.cat.code
    if (code === 'S' && (s.vat_franchise || !s.vat_number))
      p.push('de la TVA est facturée : le numéro de TVA intracommunautaire du vendeur est obligatoire (BR-S-02)')
    if ((code === 'AE' || code === 'K' || code === 'G') && !s.vat_number) p.push(`le numéro de TVA du vendeur est obligatoire pour « ${g.reason} »`)
    if ((code === 'AE' || code === 'K') && !b.vat_number) p.push(`le numéro de TVA de l'acheteur est obligatoire pour « ${g.reason} »`)
    if (code === 'K' && !doc.delivery_date) p.push('une livraison intracommunautaire doit porter sa date de livraison (BR-IC-11)')
  }
  return [...new Set(p)]
}

/** Refuses a document that breaks a rule (422, message in French with the list). */
export function assertInvoiceDocument(doc: InvoiceDocument): void {
  const problems = invoiceDocumentProblems(doc)
  if (problems.length) throw new DomainError({ code: 'invoice.document.invalid', params: { list: problems.join(' ; ') } })
}
