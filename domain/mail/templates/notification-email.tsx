import { Button, Heading, Section, Text } from '@react-email/components'
import { absolute, button, EmailLayout, heading, paragraph } from './layout.js'

// Any in-app notification told by e-mail: a title, a few lines, one button.
export type NotificationEmailProps = {
  title: string
  body?: string | null
  /** App path ('/tasks/…') or absolute URL. */
  link?: string | null
  cta?: string
  appUrl: string
}

export const notificationSubject = (p: NotificationEmailProps) => p.title

export function NotificationEmail({ title, body, link, cta, appUrl }: NotificationEmailProps) {
  return (
    <EmailLayout preview={body ?? title} appUrl={appUrl}>
      <Heading as="h1" style={heading}>
        {title}
      </Heading>
      {body
        ? body.split(/\n+/).map((line, i) => (
            <Text key={i} style={paragraph}>
              {line}
            </Text>
          ))
        : null}
      {link ? (
        <Section style={{ margin: '20px 0 4px' }}>
          <Button href={absolute(appUrl, link)} style={button}>
            {cta ?? 'Ouvrir dans Alforis CRM'}
          </Button>
        </Section>
      ) : null}
    </EmailLayout>
  )
}
