import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, NavLink, useLoaderData, useOutlet } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Badge, type BadgeTone } from '~/components/ui/badge'
import { PageHeader } from '~/components/ui/page-header'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser } from '~/utils/auth.server'
import { canAdminister } from '../../domain/identity/roles'
import { formatDateTime } from '~/utils/format'
import { isUuid } from '~/utils/forms.server'
import { resendApiKey } from '../../domain/mail/mail-config'

// The admins' view of every e-mail of the workspace: in local mode (no RESEND_API_KEY)
// it is the mailbox where they land; with Resend, the outbox with each one's fate
// (a permanent failure shows its error). The list on the left, the chosen e-mail
// (admin.mailbox.$id.tsx) beside it, or below on phones.

export const meta: MetaFunction = () => [{ title: 'Boîte d’envoi — Alforis CRM' }]

const PAGE = 50
const STATUSES = ['queued', 'sent', 'failed'] as const
type Status = (typeof STATUSES)[number]
const STATUS_TONE: Record<Status, BadgeTone> = { queued: 'amber', sent: 'green', failed: 'red' }

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  const url = new URL(request.url)
  const status = STATUSES.find((s) => s === url.searchParams.get('etat')) ?? null
  const before = url.searchParams.get('avant')
  let q = auth.tenant.selectFrom('outbound_emails').select(['id', 'to', 'subject', 'status', 'provider', 'created_at', 'template'])
  if (status) q = q.where('status', '=', status)
  if (isUuid(before)) {
    const cursor = await auth.tenant.selectFrom('outbound_emails').select(['created_at']).where('id', '=', before).executeTakeFirst()
    if (cursor)
      q = q.where((eb) => eb.or([eb('created_at', '<', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('id', '<', before)])]))
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PAGE + 1)
    .execute()
  const page = rows.slice(0, PAGE)
  return {
    mode: resendApiKey() ? ('resend' as const) : ('mailbox' as const),
    status,
    emails: page.map((e) => ({ ...e, created_at: new Date(e.created_at).toISOString() })),
    next: rows.length > PAGE ? page.at(-1)!.id : null,
  }
}

export default function Mailbox() {
  const { emails, mode, status, next } = useLoaderData<typeof loader>()
  const t = useT()
  const outlet = useOutlet()
  const search = status ? `?etat=${status}` : ''
  const filter = (s: Status | null) =>
    `rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${s === status ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`
  return (
    <div>
      <PageHeader title={t('mailbox.title')} />
      <div className="mb-4">
        <Alert tone={mode === 'mailbox' ? 'info' : 'success'}>{mode === 'mailbox' ? t('mailbox.modeMailbox') : t('mailbox.modeResend')}</Alert>
      </div>
      <nav aria-label={t('mailbox.status')} className="mb-4 flex flex-wrap gap-2">
        <Link to="/admin/mailbox" className={filter(null)} aria-current={status === null ? 'page' : undefined}>
          {t('mailbox.filterAll')}
        </Link>
        {STATUSES.map((s) => (
          <Link key={s} to={`/admin/mailbox?etat=${s}`} className={filter(s)} aria-current={status === s ? 'page' : undefined}>
            {t(`mailbox.status.${s}` as MessageKey)}
          </Link>
        ))}
      </nav>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <section aria-label={t('mailbox.list')} className="min-w-0">
          {emails.length === 0 ? (
            <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">{t('mailbox.empty')}</p>
          ) : (
            <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
              {emails.map((e) => (
                <li key={e.id}>
                  <NavLink
                    to={`/admin/mailbox/${e.id}${search}`}
                    className={({ isActive }) =>
                      `block px-4 py-3 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 ${isActive ? 'bg-indigo-50' : ''}`
                    }
                  >
                    <span className="flex items-start justify-between gap-2">
                      <span className="min-w-0 truncate font-medium text-slate-900">{e.subject}</span>
                      <Badge tone={STATUS_TONE[e.status]}>{t(`mailbox.status.${e.status}` as MessageKey)}</Badge>
                    </span>
                    <span className="mt-0.5 flex justify-between gap-2 text-xs text-slate-600">
                      <span className="min-w-0 truncate">{e.to}</span>
                      <time dateTime={e.created_at} className="shrink-0">
                        {formatDateTime(e.created_at)}
                      </time>
                    </span>
                  </NavLink>
                </li>
              ))}
            </ul>
          )}
          {next ? (
            <p className="mt-3">
              <Link to={`/admin/mailbox?${status ? `etat=${status}&` : ''}avant=${next}`} className="text-sm font-medium text-indigo-800 hover:underline">
                {t('mailbox.older')} →
              </Link>
            </p>
          ) : null}
        </section>
        <div className="min-w-0">
          {outlet ?? <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-600">{t('mailbox.select')}</p>}
        </div>
      </div>
    </div>
  )
}
