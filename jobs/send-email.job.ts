import { deliverEmail } from '../domain/mail/deliver-email.js'
import { MAIL_SEND_QUEUE, type MailSendJob } from '../domain/mail/enqueue-email.js'
import type { JobDefinition } from './job.js'

// mail.send: delivers one outbound_emails row (enqueued by domain/mail enqueueEmail in
// the transaction that stored it). Resend when RESEND_API_KEY is set, else the local
// mailbox (/admin/mailbox). A transient provider error throws (pg-boss retries with
// backoff, then the dead-letter twin mail.send-dlq); a permanent one is recorded on
// the row and told to the admins, and the job completes: it would fail the same way.
export const sendEmailJob: JobDefinition<MailSendJob> = {
  queue: MAIL_SEND_QUEUE,
  async handle(data, deps) {
    const outcome = await deliverEmail(deps.db, data.id)
    if (outcome.status === 'failed') deps.log(`e-mail ${data.id} non envoyé : ${outcome.error}`)
    return outcome
  },
}
