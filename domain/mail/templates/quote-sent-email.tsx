import { Body, Button, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components'
import { Fragment } from 'react'
import { absolute } from './layout.js'

// The e-mail a customer receives with a quote: in the seller's name and colour (not the
// CRM's), the rep's message, the key figures and the private link to view, download,
// sign or refuse it.

export type QuoteSentEmailProps = {
  subject: string
  /** The rep's message, as typed (blank lines separate paragraphs). */
  message: string
  sellerName: string
  brandColor: string
  number: string
  title: string | null
  /** Already formatted for France ("4 082,58 €", "27/12/2026"). */
  totalTtc: string
  totalHt: string
  validUntil: string
  /** The private link, an app path ('/q/<token>'). */
  link: string
  /** The PDF travels as an attachment too. */
  attached?: boolean
  appUrl: string
}

/** A paragraph's own line breaks as <br>: kept in the HTML and in the text part ("Cordialement,\nJean"). */
export function Lines({ text }: { text: string }) {
  return text.split('\n').map((line, j) => (
    <Fragment key={j}>
      {j ? <br /> : null}
      {line}
    </Fragment>
  ))
}

export const quoteSentSubject = (p: QuoteSentEmailProps) => p.subject

const text = { fontSize: '15px', lineHeight: '22px', margin: '12px 0', color: '#0f172a' }
const muted = { fontSize: '13px', lineHeight: '20px', margin: '4px 0', color: '#475569' }

export function QuoteSentEmail(p: QuoteSentEmailProps) {
  const url = absolute(p.appUrl, p.link)
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{`Devis ${p.number} — ${p.totalTtc} TTC, valable jusqu'au ${p.validUntil}`}</Preview>
      <Body
        style={{
          backgroundColor: '#f8fafc',
          margin: 0,
          padding: '24px 12px',
          fontFamily: '-apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
          color: '#0f172a',
        }}
      >
        <Container style={{ maxWidth: '560px', width: '100%', margin: '0 auto', backgroundColor: '#ffffff', border: '1px solid #e2e8f0', borderRadius: '8px' }}>
          <Section style={{ padding: '20px 24px 0' }}>
            <Text style={{ margin: 0, fontSize: '18px', fontWeight: 700, color: p.brandColor }}>{p.sellerName}</Text>
          </Section>
          <Section style={{ padding: '8px 24px 24px' }}>
            {p.message.split(/\n{2,}/).map((para, i) => (
              <Text key={i} style={text}>
                <Lines text={para} />
              </Text>
            ))}
            <Section style={{ margin: '16px 0', padding: '12px 16px', backgroundColor: '#f1f5f9', borderRadius: '6px' }}>
              <Text style={{ ...text, margin: '0 0 4px', fontWeight: 700 }}>
                Devis {p.number}
                {p.title ? ` — ${p.title}` : ''}
              </Text>
              <Text style={muted}>
                Montant : {p.totalTtc} TTC ({p.totalHt} HT)
              </Text>
              <Text style={muted}>Valable jusqu'au {p.validUntil}</Text>
            </Section>
            {p.attached ? <Text style={muted}>Le devis est joint à cet e-mail au format PDF.</Text> : null}
            <Section style={{ margin: '20px 0 4px' }}>
              <Button
                href={url}
                style={{
                  backgroundColor: p.brandColor,
                  color: '#ffffff',
                  borderRadius: '6px',
                  padding: '12px 20px',
                  fontSize: '15px',
                  fontWeight: 600,
                  textDecoration: 'none',
                  display: 'inline-block',
                }}
              >
                Consulter et signer le devis
              </Button>
            </Section>
            <Text style={muted}>Ou copiez ce lien dans votre navigateur : {url}</Text>
          </Section>
          <Hr style={{ borderColor: '#e2e8f0', margin: 0 }} />
          <Section style={{ padding: '16px 24px' }}>
            <Text style={{ margin: 0, fontSize: '12px', lineHeight: '18px', color: '#475569' }}>
              Ce lien est personnel : il permet de consulter, télécharger et signer ce devis jusqu'au {p.validUntil}. Ne le transférez pas.
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  )
}
