import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from '@react-email/components'
import type { ReactNode } from 'react'

// The frame of every e-mail: French, one 560 px column that shrinks on phones, inline
// styles only (mail clients drop <style> blocks and classes unevenly).

export const colors = { brand: '#4338ca', text: '#0f172a', muted: '#475569', border: '#e2e8f0', bg: '#f8fafc' }

export type LayoutProps = {
  /** The line mail clients show after the subject. */
  preview: string
  appUrl: string
  children: ReactNode
  /** Why this person gets it, in the footer. */
  reason?: string
}

export function EmailLayout({ preview, appUrl, children, reason }: LayoutProps) {
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{preview}</Preview>
      <Body
        style={{
          backgroundColor: colors.bg,
          margin: 0,
          padding: '24px 12px',
          fontFamily: '-apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
          color: colors.text,
        }}
      >
        <Container
          style={{ maxWidth: '560px', width: '100%', margin: '0 auto', backgroundColor: '#ffffff', border: `1px solid ${colors.border}`, borderRadius: '8px' }}
        >
          <Section style={{ padding: '20px 24px 0' }}>
            <Text style={{ margin: 0, fontSize: '18px', fontWeight: 700, color: colors.brand }}>Alforis CRM</Text>
          </Section>
          <Section style={{ padding: '8px 24px 24px' }}>{children}</Section>
          <Hr style={{ borderColor: colors.border, margin: 0 }} />
          <Section style={{ padding: '16px 24px' }}>
            <Text style={{ margin: 0, fontSize: '12px', lineHeight: '18px', color: colors.muted }}>
              {reason ?? 'Vous recevez cet e-mail car vous utilisez Alforis CRM.'}{' '}
              <Link href={`${appUrl}/settings/notifications`} style={{ color: colors.brand }}>
                Gérer mes notifications
              </Link>
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  )
}

export const paragraph = { fontSize: '15px', lineHeight: '22px', margin: '12px 0', color: colors.text }
export const heading = { fontSize: '20px', lineHeight: '28px', margin: '8px 0 4px', fontWeight: 700, color: colors.text }
export const button = {
  backgroundColor: colors.brand,
  color: '#ffffff',
  borderRadius: '6px',
  padding: '12px 20px',
  fontSize: '15px',
  fontWeight: 600,
  textDecoration: 'none',
  display: 'inline-block',
}

/** An app path as an absolute link for the e-mail. */
export const absolute = (appUrl: string, path: string) =>
  /^https?:\/\//.test(path) ? path : `${appUrl.replace(/\/$/, '')}${path.startsWith('/') ? '' : '/'}${path}`
