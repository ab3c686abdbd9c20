import type { VatRate } from '../../sales/vat.js'

// EN 16931 VAT category (UNCL 5305) and exemption reason code (CEF VATEX list) of a
// rate and its 0 % mention. The invoice stores the wording the seller chose (CGI art. 242
// nonies A); the XML needs a category, so the usual French wordings are recognised and
// any other exemption is category E with its wording as the reason (BR-E-10 accepts a
// reason text without a code).

export type VatCategoryCode = 'S' | 'E' | 'AE' | 'K' | 'G'

export type VatCategory = {
  code: VatCategoryCode
  /** VATEX code, when the wording maps to one. */
  exemptionCode: string | null
  /** BT-120: the wording, only outside category S. */
  exemptionReason: string | null
}

export const FRANCHISE_MENTION = 'TVA non applicable, art. 293 B du CGI'

export function vatCategory(rate: VatRate, exemption: string | null): VatCategory {
  if (rate !== 0) return { code: 'S', exemptionCode: null, exemptionReason: null }
  const text = (exemption ?? '').trim() || FRANCHISE_MENTION
  if (/293\s*B/i.test(text)) return { code: 'E', exemptionCode: 'VATEX-FR-FRANCHISE', exemptionReason: text }
  if (/autoliquidation|283[-\s,]/i.test(text)) return { code: 'AE', exemptionCode: 'VATEX-EU-AE', exemptionReason: text }
  if (/262\s*ter/i.test(text)) return { code: 'K', exemptionCode: 'VATEX-EU-IC', exemptionReason: text }
  if (/262\s*,?\s*I\b|exportation/i.test(text)) return { code: 'G', exemptionCode: 'VATEX-EU-G', exemptionReason: text }
  return { code: 'E', exemptionCode: null, exemptionReason: text }
}
