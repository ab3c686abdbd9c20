// The e-mail path: enqueueEmail (render + store + job, one transaction), the mail.send
// job's deliverEmail (Resend or the local mailbox), the templates.
export {
  enqueueEmail,
  InvalidEmailError,
  MAX_ATTACHMENTS_BYTES,
  type EmailAttachment,
  kyselyExecutor,
  MAIL_SEND_QUEUE,
  type EnqueueEmailInput,
  type MailQueue,
  type MailSendJob,
} from './enqueue-email.js'
export { deliverEmail, MAX_SEND_ATTEMPTS, RetryLaterError, type DeliverOutcome } from './deliver-email.js'
export { renderEmail, type RenderedEmail } from './render-email.js'
export { createResendClient, ResendError, type ResendClient, type ResendEmail } from './resend-client.js'
export { mailFrom } from './mail-config.js'
export { TEMPLATES, type TemplateName, type TemplateProps } from './templates/index.js'
