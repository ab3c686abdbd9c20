import type { campaignsFr } from './campaigns.fr'

// Campaign e-mails' public pages: spread into the English catalogue (en.ts).
export const campaignsEn: Record<keyof typeof campaignsFr, string> = {
  'unsubscribe.title': 'Unsubscribe',
  'unsubscribe.question': 'Stop receiving marketing e-mails from {company} at {email}?',
  'unsubscribe.confirm': 'Confirm unsubscribe',
  'unsubscribe.done': 'Done: {email} will no longer receive marketing e-mails from {company}.',
  'unsubscribe.already': '{email} is already unsubscribed from marketing e-mails from {company}.',
  'unsubscribe.invalid': 'This unsubscribe link is not valid. Use the link in the latest e-mail you received.',
}
