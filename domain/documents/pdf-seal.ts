import fs from 'node:fs'
import { plainAddPlaceholder } from '@signpdf/placeholder-plain'
import { SignPdf } from '@signpdf/signpdf'
import { P12Signer } from '@signpdf/signer-p12'
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils'

// Seals a signed document so any later edit shows: a PAdES signature (CAdES detached,
// the company's certificate from a PKCS#12 file) that every PDF reader checks, when
// configured; otherwise the document is left as is and its SHA-256 is published in
// the signature's audit trail (the caller records `seal: 'hash'`). SignPdf is the named
// class: the package's default export is not the instance under Node's own ESM loader.

export type SealConfig = { p12: Buffer; passphrase: string; name: string }

/** The certificate settings (`PDF_SIGN_P12_PATH`, `PDF_SIGN_P12_PASSPHRASE`), or null. */
export function sealConfigFromEnv(env: Record<string, string | undefined> = process.env): SealConfig | null {
  const file = env.PDF_SIGN_P12_PATH?.trim()
  if (!file) return null
  return { p12: fs.readFileSync(file), passphrase: env.PDF_SIGN_P12_PASSPHRASE ?? '', name: env.PDF_SIGN_NAME?.trim() || 'Alforis CRM' }
}

/**
 * The PDF with a PAdES signature over all its bytes, or the PDF unchanged without a
 * certificate.
 *
 * @example const { bytes, seal } = await sealPdf(pdf, { reason: 'Devis DEV-2026-0042 signé', signedAt: now })
 */
export async function sealPdf(
  pdf: Buffer,
  info: { reason: string; location?: string; signedAt: Date },
  config: SealConfig | null = sealConfigFromEnv(),
): Promise<{ bytes: Buffer; seal: 'pades' | 'hash' }> {
  if (!config) return { bytes: pdf, seal: 'hash' }
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: info.reason,
    contactInfo: '',
    name: config.name,
    location: info.location ?? 'France',
    signingTime: info.signedAt,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    signatureLength: 16_384,
    appName: 'Alforis CRM',
  })
  const bytes = await new SignPdf().sign(withPlaceholder, new P12Signer(config.p12, { passphrase: config.passphrase }), info.signedAt)
  return { bytes, seal: 'pades' }
}
