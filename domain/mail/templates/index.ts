import type { ComponentType } from 'react'
import { ContractRenewalEmail, contractRenewalSubject, type ContractRenewalEmailProps } from './contract-renewal-email.js'
import { InvoiceEmail, invoiceSubject, type InvoiceEmailProps } from './invoice-email.js'
import { NotificationEmail, notificationSubject, type NotificationEmailProps } from './notification-email.js'
import { QuoteSentEmail, quoteSentSubject, type QuoteSentEmailProps } from './quote-sent-email.js'
import { QuoteSignedEmail, quoteSignedSubject, type QuoteSignedEmailProps } from './quote-signed-email.js'
import { TaskAssignedEmail, taskAssignedSubject, type TaskAssignedEmailProps } from './task-assigned-email.js'
import { TaskReminderEmail, taskReminderSubject, type TaskReminderEmailProps } from './task-reminder-email.js'
import { WorkflowEmail, workflowSubject, type WorkflowEmailProps } from './workflow-email.js'

// Every e-mail the app sends, by name. A template is a react-email component and its
// subject line; `appUrl` (for absolute links) is filled in by renderEmail.

type Template<P extends { appUrl: string }> = { subject: (p: P) => string; Component: ComponentType<P> }

export const TEMPLATES = {
  notification: { subject: notificationSubject, Component: NotificationEmail } as Template<NotificationEmailProps>,
  task_reminder: { subject: taskReminderSubject, Component: TaskReminderEmail } as Template<TaskReminderEmailProps>,
  task_assigned: { subject: taskAssignedSubject, Component: TaskAssignedEmail } as Template<TaskAssignedEmailProps>,
  quote_sent: { subject: quoteSentSubject, Component: QuoteSentEmail } as Template<QuoteSentEmailProps>,
  quote_signed: { subject: quoteSignedSubject, Component: QuoteSignedEmail } as Template<QuoteSignedEmailProps>,
  workflow: { subject: workflowSubject, Component: WorkflowEmail } as Template<WorkflowEmailProps>,
  contract_renewal: { subject: contractRenewalSubject, Component: ContractRenewalEmail } as Template<ContractRenewalEmailProps>,
  invoice: { subject: invoiceSubject, Component: InvoiceEmail } as Template<InvoiceEmailProps>,
} as const

export type TemplateName = keyof typeof TEMPLATES
/** A template's props, without appUrl (the renderer adds it). */
export type TemplateProps<K extends TemplateName> = Omit<(typeof TEMPLATES)[K] extends Template<infer P> ? P : never, 'appUrl'>

export const isTemplateName = (n: string): n is TemplateName => Object.hasOwn(TEMPLATES, n)

export type {
  ContractRenewalEmailProps,
  InvoiceEmailProps,
  QuoteSentEmailProps,
  QuoteSignedEmailProps,
  NotificationEmailProps,
  TaskAssignedEmailProps,
  TaskReminderEmailProps,
  WorkflowEmailProps,
}
