import { Button, Heading, Section, Text } from '@react-email/components'
import { absolute, button, EmailLayout, heading, paragraph } from './layout.js'

export type TaskAssignedEmailProps = {
  recipientName: string
  assignedBy: string
  taskTitle: string
  /** Already formatted for France, or null for a task without a due date. */
  dueLabel?: string | null
  relatedLabel?: string | null
  link: string
  appUrl: string
}

export const taskAssignedSubject = (p: TaskAssignedEmailProps) => `Nouvelle tâche : ${p.taskTitle}`

export function TaskAssignedEmail({ recipientName, assignedBy, taskTitle, dueLabel, relatedLabel, link, appUrl }: TaskAssignedEmailProps) {
  return (
    <EmailLayout
      preview={`${assignedBy} vous a attribué « ${taskTitle} »`}
      appUrl={appUrl}
      reason="Vous recevez cet e-mail car une tâche vous a été attribuée."
    >
      <Heading as="h1" style={heading}>
        {taskTitle}
      </Heading>
      <Text style={paragraph}>Bonjour {recipientName},</Text>
      <Text style={paragraph}>{assignedBy} vous a attribué cette tâche.</Text>
      {dueLabel ? (
        <Text style={paragraph}>
          Échéance : <strong>{dueLabel}</strong>.
        </Text>
      ) : null}
      {relatedLabel ? <Text style={paragraph}>Concerne : {relatedLabel}</Text> : null}
      <Section style={{ margin: '20px 0 4px' }}>
        <Button href={absolute(appUrl, link)} style={button}>
          Voir la tâche
        </Button>
      </Section>
    </EmailLayout>
  )
}
