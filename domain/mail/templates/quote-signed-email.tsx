import { Body, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components'
import { absolute } from './layout.js'

// The signer's receipt: in the seller's name, the signed PDF attached, and the SHA-256
// of that PDF so anyone can check later that a copy is the one signed
// (`sha256sum devis-….pdf` or `certutil -hashfile … SHA256`).

export type QuoteSignedEmailProps = {
  sellerName: string
  brandColor: string
  signerName: string
  number: string
  revision: number
  /** "27 décembre 2026 à 14:05" (Paris). */
  signedAt: string
  totalTtc: string
  /** SHA-256 of the attached signed PDF. */
  signedPdfSha256: string
  /** SHA-256 of the version's PDF the signer received before signing. */
  versionPdfSha256: string | null
  /** The private link, an app path ('/q/<token>'). */
  link: string
  appUrl: string
}

export const quoteSignedSubject = (p: QuoteSignedEmailProps) => `Devis ${p.number} signé — votre exemplaire`

const text = { fontSize: '15px', lineHeight: '22px', margin: '12px 0', color: '#0f172a' }
const mono = {
  fontSize: '12px',
  lineHeight: '18px',
  margin: '4px 0',
  color: '#0f172a',
  fontFamily: 'ui-monospace, Menlo, Consolas, monospace',
  wordBreak: 'break-all' as const,
}

export function QuoteSignedEmail(p: QuoteSignedEmailProps) {
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Preview>{`Devis ${p.number} signé le ${p.signedAt}`}</Preview>
      <Body style={{ backgroundColor: '#f8fafc', margin: 0, padding: '24px 12px', fontFamily: '-apple-system, "Segoe UI", Roboto, Arial, sans-serif' }}>
        <Container style={{ maxWidth: '560px', width: '100%', margin: '0 auto', backgroundColor: '#ffffff', border: '1px solid #e2e8f0', borderRadius: '8px' }}>
          <Section style={{ padding: '20px 24px 0' }}>
            <Text style={{ margin: 0, fontSize: '18px', fontWeight: 700, color: p.brandColor }}>{p.sellerName}</Text>
          </Section>
          <Section style={{ padding: '8px 24px 24px' }}>
            <Text style={text}>Bonjour {p.signerName},</Text>
            <Text style={text}>
              Nous avons bien reçu votre signature du devis {p.number} (version {p.revision}, {p.totalTtc} TTC), le {p.signedAt}. Votre exemplaire signé est
              joint à cet e-mail au format PDF.
            </Text>
            <Text style={text}>Empreinte SHA-256 du PDF signé joint :</Text>
            <Text style={mono}>{p.signedPdfSha256}</Text>
            {p.versionPdfSha256 ? (
              <>
                <Text style={text}>Empreinte SHA-256 du devis reçu avant signature :</Text>
                <Text style={mono}>{p.versionPdfSha256}</Text>
              </>
            ) : null}
            <Text style={{ ...text, fontSize: '13px', color: '#475569' }}>
              Pour vérifier qu'une copie est bien celle que vous avez signée, calculez son empreinte (sha256sum sous Linux ou macOS, certutil -hashfile
              fichier.pdf SHA256 sous Windows) : elle doit être identique. Vous pouvez aussi retrouver le devis sur {absolute(p.appUrl, p.link)}
            </Text>
          </Section>
          <Hr style={{ borderColor: '#e2e8f0', margin: 0 }} />
        </Container>
      </Body>
    </Html>
  )
}
