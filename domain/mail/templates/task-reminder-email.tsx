import { Button, Heading, Section, Text } from '@react-email/components'
import { absolute, button, colors, EmailLayout, heading, paragraph } from './layout.js'

// A task's reminder: the day before (J-1), the day itself (J0), or one day late (J+1).
export type TaskReminderEmailProps = {
  when: 'j1' | 'j0' | 'overdue_j1'
  recipientName: string
  taskTitle: string
  /** Already formatted for France ('vendredi 27 novembre 2026 à 14:00', Europe/Paris). */
  dueLabel: string
  /** The organisation, contact or deal the task is about, if any. */
  relatedLabel?: string | null
  /** App path of the task. */
  link: string
  appUrl: string
}

const lead = { j1: 'À faire demain', j0: 'À faire aujourd’hui', overdue_j1: 'En retard depuis hier' } as const

export const taskReminderSubject = (p: TaskReminderEmailProps) => `${lead[p.when]} : ${p.taskTitle}`

export function TaskReminderEmail({ when, recipientName, taskTitle, dueLabel, relatedLabel, link, appUrl }: TaskReminderEmailProps) {
  return (
    <EmailLayout preview={`${lead[when]} — ${taskTitle}`} appUrl={appUrl} reason="Vous recevez ce rappel car cette tâche vous est attribuée.">
      <Text style={{ ...paragraph, color: when === 'overdue_j1' ? '#b91c1c' : colors.brand, fontWeight: 600, margin: '8px 0 0' }}>{lead[when]}</Text>
      <Heading as="h1" style={heading}>
        {taskTitle}
      </Heading>
      <Text style={paragraph}>Bonjour {recipientName},</Text>
      <Text style={paragraph}>
        {when === 'overdue_j1' ? 'Cette tâche était à faire pour le ' : 'Échéance : '}
        <strong>{dueLabel}</strong>.
      </Text>
      {relatedLabel ? <Text style={paragraph}>Concerne : {relatedLabel}</Text> : null}
      <Section style={{ margin: '20px 0 4px' }}>
        <Button href={absolute(appUrl, link)} style={button}>
          Voir la tâche
        </Button>
      </Section>
    </EmailLayout>
  )
}
