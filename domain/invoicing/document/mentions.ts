import { sellerIdentity } from '../../sales/company-settings.rules.js'
import { formatPercentFr } from '../../sales/money.js'
import { formatEuros } from '../../shared/money.js'
import { FRANCHISE_MENTION } from '../facturx/vat-categories.js'
import type { InvoiceDocument, InvoiceTypeCode, OperationCategory } from '../invoice-document.js'

// The wording of the legal mentions, written once: the PDF prints these sentences and
// the Factur-X XML carries the same ones in its notes (PMD, PMT, AAB, REG…), so what
// the buyer reads and what their software reads never differ.

// Plain spaces: narrow no-break spaces come back badly out of text extraction and XML.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')
export const euros = (cents: number) => plain(formatEuros(cents))
export const percent = (bps: number) => plain(formatPercentFr(bps))
/** "2026-06-15" → "15/06/2026". */
export const frenchDay = (day: string) => day.split('-').reverse().join('/')

export const TITLES: Record<InvoiceTypeCode, string> = { '380': 'Facture', '386': "Facture d'acompte", '381': 'Avoir' }

export const OPERATION_LABELS: Record<OperationCategory, string> = {
  goods: 'Livraison de biens',
  services: 'Prestation de services',
  mixed: 'Mixte (livraison de biens et prestation de services)',
}

export const DEBITS_OPTION = "Option pour le paiement de la TVA d'après les débits"

/** Code de commerce R123-237: form, capital, RCS and city, SIREN/SIRET, VAT number. */
export function sellerIdentityLine(doc: InvoiceDocument): string {
  const { name, legal_form, share_capital_cents, siren, siret, rcs_city, vat_number } = doc.seller
  return plain(sellerIdentity({ name, legal_form, share_capital_cents, siren, siret, rcs_city, vat_number }).join(' — '))
}

export const operationMention = (doc: InvoiceDocument) => `Catégorie de l'opération : ${OPERATION_LABELS[doc.operation_category]}`

/** Code de commerce L441-10: the rate of the late-payment penalties. */
export const penaltyMention = (doc: InvoiceDocument) =>
  `En cas de retard de paiement, des pénalités sont exigibles de plein droit dès le lendemain de l'échéance, au taux annuel de ${percent(doc.late_penalty_rate_bps)} (art. L441-10 du Code de commerce).`

/** Code de commerce D441-5: the fixed €40 recovery indemnity. */
export const indemnityMention = (doc: InvoiceDocument) =>
  `Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : ${euros(doc.recovery_indemnity_cents)} (art. L441-10 et D441-5 du Code de commerce).`

export const earlyPaymentMention = (doc: InvoiceDocument) => doc.early_payment_discount.trim() || "Pas d'escompte pour paiement anticipé."

/** The VAT exemption wordings of the document (franchise first), each once. */
export function exemptionMentions(doc: InvoiceDocument): string[] {
  const out: string[] = []
  if (doc.seller.vat_franchise) out.push(FRANCHISE_MENTION)
  for (const g of doc.totals.vat) {
    if (g.rate !== 0 || !g.exemption) continue
    const text = g.exemption.replace(/\.$/, '')
    if (!out.some((m) => m.replace(/\.$/, '') === text)) out.push(text)
  }
  return out
}

/** "Avoir sur la facture n° 2026-F-0042 du 15/06/2026". */
export const precedingMention = (doc: InvoiceDocument) =>
  doc.preceding_invoice ? `Avoir sur la facture n° ${doc.preceding_invoice.number} du ${frenchDay(doc.preceding_invoice.issue_date)}` : null

export const depositMention = (doc: InvoiceDocument) =>
  doc.type_code === '386' && doc.deposit_bps !== null ? `Facture d'acompte de ${percent(doc.deposit_bps)} à la commande` : null
