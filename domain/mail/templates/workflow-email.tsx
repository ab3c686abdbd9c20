import { Text } from '@react-email/components'
import { EmailLayout, paragraph } from './layout.js'

// The e-mail a workflow's send_email step writes: subject and body come from the user's
// template, already rendered with the run's variables. Plain text, paragraphs on blank lines.
export type WorkflowEmailProps = {
  subject: string
  body: string
  appUrl: string
}

export const workflowSubject = (p: WorkflowEmailProps) => p.subject

export function WorkflowEmail({ subject, body, appUrl }: WorkflowEmailProps) {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
  return (
    <EmailLayout preview={paragraphs[0] ?? subject} appUrl={appUrl}>
      {paragraphs.map((p, i) => (
        <Text key={i} style={paragraph}>
          {p.split('\n').map((line, j) => (j === 0 ? line : [<br key={j} />, line]))}
        </Text>
      ))}
    </EmailLayout>
  )
}
