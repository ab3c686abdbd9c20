import { Body, Button, Container, Head, Html, Preview, Section, Text } from '@react-email/components'
import { absolute } from './layout.js'
import { Lines } from './quote-sent-email.js'

// The e-mail a customer receives with an invoice, and the dunning reminders (domain/invoicing):
// in the seller's name and colour, the message (typed, or the workspace's reminder text),
// the key figures and the private link to the invoice and its PDF.

export type InvoiceEmailProps = {
  subject: string
  message: string
  sellerName: string
  brandColor: string
  /** "Facture 2026-F-0042". */
  title: string
  /** Already formatted for France. */
  amountDue: string
  dueDate: string
  /** An app path ('/f/<token>'). */
  link: string
  attached?: boolean
  appUrl: string
}

export const invoiceSubject = (p: InvoiceEmailProps) => p.subject

const text = { fontSize: '15px', lineHeight: '22px', margin: '12px 0', color: '#0f172a' }
const muted = { fontSize: '13px', lineHeight: '20px', margin: '4px 0', color: '#475569' }

export function InvoiceEmail(p: InvoiceEmailProps) {
  const url = absolute(p.appUrl, p.link)
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Preview>{`${p.title} — ${p.amountDue}, échéance le ${p.dueDate}`}</Preview>
      <Body
        style={{ backgroundColor: '#f8fafc', margin: 0, padding: '24px 12px', fontFamily: '-apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif' }}
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
              <Text style={{ ...text, margin: '0 0 4px', fontWeight: 700 }}>{p.title}</Text>
              <Text style={muted}>Montant dû : {p.amountDue}</Text>
              <Text style={muted}>Échéance : {p.dueDate}</Text>
            </Section>
            <Button
              href={url}
              style={{ backgroundColor: p.brandColor, color: '#ffffff', padding: '10px 18px', borderRadius: '6px', fontSize: '15px', fontWeight: 600 }}
            >
              Voir la facture
            </Button>
            {p.attached ? <Text style={muted}>La facture est jointe en PDF.</Text> : null}
          </Section>
        </Container>
      </Body>
    </Html>
  )
}
