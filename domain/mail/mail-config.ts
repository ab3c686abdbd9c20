// Mail settings from the environment, read when used (tests change them at run time).

export const DEFAULT_MAIL_FROM = 'Alforis CRM <no-reply@alforis.local>'

/** The sender of every e-mail (`MAIL_FROM`), e.g. "Alforis CRM <crm@mon-domaine.fr>". */
export const mailFrom = () => process.env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM

/** The bare address of MAIL_FROM, on the configured sending domain ("crm@mon-domaine.fr"). */
export const mailFromAddress = () => {
  const from = mailFrom()
  return (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim()
}

/**
 * A customer-facing sender: the rep's and company's names on the sending domain's
 * address (a rep's own mailbox is not on a domain we may send from; replies reach them
 * through Reply-To). The display name is quoted as RFC 5322 wants.
 *
 * @example senderAs('Claire Dubois', 'Menuiseries Dupont') // '"Claire Dubois — Menuiseries Dupont" <crm@mon-domaine.fr>'
 */
export function senderAs(repName: string | null, company: string): string {
  const name = [repName?.trim(), company.trim()]
    .filter(Boolean)
    .join(' — ')
    .replace(/[\r\n]+/g, ' ')
  return `"${name.replace(/(["\\])/g, '\\$1')}" <${mailFromAddress()}>`
}

/** Resend's API key (`RESEND_API_KEY`): set = real sending, unset = the local mailbox. */
export const resendApiKey = () => process.env.RESEND_API_KEY?.trim() || null
