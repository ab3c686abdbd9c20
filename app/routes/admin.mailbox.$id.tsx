import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { forbidden, notFound, requireUser } from '~/utils/auth.server'
import { canAdminister } from '../../domain/identity/roles'
import { formatDateTime } from '~/utils/format'
import { isUuid } from '~/utils/forms.server'
import { sql } from 'kysely'
import { translateRecorded } from '~/i18n/errors'

// One e-mail as it was (or would have been) sent: its HTML in a sandboxed frame
// (srcdoc: no scripts, no access to the app, links open in a new tab), its text part,
// and what happened to it.

/** "245 Ko", "1,2 Mo" (French units, decimal comma). */
const formatFileSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} o`
    : bytes < 1024 * 1024
      ? `${Math.round(bytes / 1024)} Ko`
      : `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} Mo`

const STATUS_TONE = { queued: 'amber', sent: 'green', failed: 'red' } as const

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.email.subject ?? 'E-mail'} — Boîte d’envoi — Alforis CRM` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  if (!isUuid(params.id)) throw notFound()
  const e = await auth.tenant.selectFrom('outbound_emails').selectAll().where('id', '=', params.id).executeTakeFirst()
  if (!e) throw notFound()
  const attachments = await context.runtime.db
    .selectFrom('outbound_email_attachments')
    .select(['position', 'filename', 'content_type', sql<number>`octet_length(content)`.as('size')])
    .where('email_id', '=', e.id)
    .orderBy('position')
    .execute()
  return {
    email: {
      id: e.id,
      to: e.to,
      from: e.from_address,
      replyTo: e.reply_to,
      attachments: attachments.map((a) => ({ position: a.position, filename: a.filename, contentType: a.content_type, size: Number(a.size) })),
      subject: e.subject,
      html: e.html,
      text: e.text,
      template: e.template,
      status: e.status,
      provider: e.provider,
      providerId: e.provider_id,
      attempts: e.attempts,
      lastError: e.last_error ? translateRecorded(auth.locale, e.last_error) : null,
      createdAt: new Date(e.created_at).toISOString(),
      sentAt: e.sent_at ? new Date(e.sent_at).toISOString() : null,
    },
  }
}

export default function MailboxEmail() {
  const { email: e } = useLoaderData<typeof loader>()
  const t = useT()
  const { search } = useLocation()
  const row = (label: string, value: React.ReactNode) => (
    <div className="flex gap-3 py-1.5">
      <dt className="w-32 shrink-0 text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{value}</dd>
    </div>
  )
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6" aria-labelledby="mail-subject">
      <p className="mb-2 lg:hidden">
        <Link to={`/admin/mailbox${search}`} className="text-sm font-medium text-indigo-800 hover:underline">
          ← {t('mailbox.back')}
        </Link>
      </p>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 id="mail-subject" className="text-lg font-semibold text-slate-900">
          {e.subject}
        </h2>
        <Badge tone={STATUS_TONE[e.status]}>{t(`mailbox.status.${e.status}` as MessageKey)}</Badge>
      </div>
      {e.status === 'failed' && e.lastError ? (
        <div className="mt-3">
          <Alert tone="error">
            <strong>{t('mailbox.error')} :</strong> {e.lastError}
          </Alert>
        </div>
      ) : null}
      <dl className="mt-3 divide-y divide-slate-100 text-sm">
        {row(t('mailbox.to'), e.to)}
        {row(t('mailbox.from'), e.from)}
        {e.replyTo ? row(t('mailbox.replyTo'), e.replyTo) : null}
        {row(t('mailbox.date'), <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>)}
        {e.sentAt ? row(t('mailbox.sentAt'), <time dateTime={e.sentAt}>{formatDateTime(e.sentAt)}</time>) : null}
        {e.provider ? row(t('mailbox.provider'), t(`mailbox.provider.${e.provider}` as MessageKey)) : null}
        {e.providerId ? row(t('mailbox.providerId'), <code className="text-xs">{e.providerId}</code>) : null}
        {row(t('mailbox.template'), templateLabel(t, e.template))}
        {row(t('mailbox.attempts'), e.attempts)}
        {e.status !== 'failed' && e.lastError ? row(t('mailbox.error'), e.lastError) : null}
      </dl>
      {e.attachments.length ? (
        <>
          <h3 className="mt-6 text-sm font-semibold text-slate-900">{t('mailbox.attachments')}</h3>
          <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200 text-sm">
            {e.attachments.map((a) => (
              <li key={a.position} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                <span className="min-w-0 break-words text-slate-900">
                  {a.filename} <span className="text-slate-600">({formatFileSize(a.size)})</span>
                </span>
                <a
                  href={`/admin/mailbox/${e.id}/attachments/${a.position}`}
                  className="font-medium text-indigo-800 hover:underline"
                  aria-label={t('mailbox.downloadAttachment', { name: a.filename })}
                >
                  {t('mailbox.download')}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="mt-6 text-sm font-semibold text-slate-900">{t('mailbox.html')}</h3>
      <iframe
        title={t('mailbox.htmlFrame', { subject: e.subject })}
        srcDoc={e.html}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        className="mt-2 h-[36rem] w-full rounded-md border border-slate-200 bg-white"
      />
      <h3 className="mt-6 text-sm font-semibold text-slate-900">{t('mailbox.text')}</h3>
      <pre
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard (axe: scrollable-region-focusable)
        tabIndex={0}
        role="region"
        aria-label={t('mailbox.text')}
        className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {e.text}
      </pre>
    </article>
  )
}

/** The template's name in the reader's language; an unknown one (an older row) as a plain "—". */
function templateLabel(t: ReturnType<typeof useT>, template: string) {
  const key = `mailbox.template.${template}` as MessageKey
  const label = t(key)
  return label === key ? '—' : label
}
