import { Body, Button, Container, Head, Hr, Html, Img, Link, Preview, Section, Text } from '@react-email/components'
import { render } from '@react-email/render'
import { createElement } from 'react'
import { button, colors, paragraph } from '../mail/templates/layout.js'

// One marketing e-mail: the sender's name, the body's paragraphs, an optional button
// (its link goes through the signed click redirect), and the footer the law asks for:
// who sends it, their postal address, why you get it, and a one-click unsubscribe. The
// open pixel comes last. Rendered by react-email to HTML and a plain-text part.

export type CampaignEmailProps = {
  senderName: string
  postalAddress: string
  paragraphs: string[]
  button: { label: string; href: string } | null
  unsubscribeUrl: string
  openPixelUrl: string
  preview: string
}

export function CampaignEmail(p: CampaignEmailProps) {
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{p.preview}</Preview>
      <Body
        style={{ backgroundColor: colors.bg, margin: 0, padding: '24px 12px', fontFamily: '-apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif' }}
      >
        <Container
          style={{ maxWidth: '600px', width: '100%', margin: '0 auto', backgroundColor: '#ffffff', border: `1px solid ${colors.border}`, borderRadius: '8px' }}
        >
          <Section style={{ padding: '20px 24px 0' }}>
            <Text style={{ margin: 0, fontSize: '18px', fontWeight: 700, color: colors.brand }}>{p.senderName}</Text>
          </Section>
          <Section style={{ padding: '8px 24px 24px' }}>
            {p.paragraphs.map((line, i) => (
              <Text key={i} style={paragraph}>
                {line}
              </Text>
            ))}
            {p.button ? (
              <Section style={{ margin: '20px 0 4px' }}>
                <Button href={p.button.href} style={button}>
                  {p.button.label}
                </Button>
              </Section>
            ) : null}
          </Section>
          <Hr style={{ borderColor: colors.border, margin: 0 }} />
          <Section style={{ padding: '16px 24px' }}>
            <Text style={{ margin: 0, fontSize: '12px', lineHeight: '18px', color: colors.muted }}>
              {p.senderName} — {p.postalAddress}
              <br />
              Vous recevez cet e-mail car vous avez accepté de recevoir nos communications.{' '}
              <Link href={p.unsubscribeUrl} style={{ color: colors.brand }}>
                Se désabonner
              </Link>
            </Text>
          </Section>
        </Container>
        <Img src={p.openPixelUrl} width="1" height="1" alt="" style={{ display: 'block', border: 0 }} />
      </Body>
    </Html>
  )
}

/** HTML and plain text of one marketing e-mail. */
export async function renderCampaignEmail(p: CampaignEmailProps): Promise<{ html: string; text: string }> {
  const element = createElement(CampaignEmail, p)
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })])
  return { html, text }
}
