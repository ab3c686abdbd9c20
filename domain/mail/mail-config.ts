import { appUrl as baseUrl } from '../shared/app-url.js'

// Mail settings from the environment, read when used (tests change them at run time).

export const DEFAULT_MAIL_FROM = 'Alforis CRM <no-reply@alforis.local>'

/** The sender of every e-mail (`MAIL_FROM`), e.g. "Alforis CRM <crm@mon-domaine.fr>". */
export const mailFrom = () => process.env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM

/** Resend's API key (`RESEND_API_KEY`): set = real sending, unset = the local mailbox. */
export const resendApiKey = () => process.env.RESEND_API_KEY?.trim() || null

/** Where links in e-mails point (`APP_URL`, no trailing slash): the one base of domain/shared/app-url.ts. */
export const appUrl = () => baseUrl()
