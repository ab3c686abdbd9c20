import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Button } from '~/components/ui/button'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { formatDateTime } from '~/utils/format'
import { isUuid } from '~/utils/forms.server'
import { listNotifications, markRead, unreadCount } from '../../domain/notifications/notify'

// The signed-in user's notifications, newest first: mark one or all read. Plain forms
// (PRG), so it all works without JavaScript; the bell's count follows on revalidation.

export const meta: MetaFunction = () => [{ title: 'Notifications — Alforis CRM' }]

const PAGE = 30

/** ?before=<created_at ISO>_<id>: the keyset cursor of the next page. */
function parseBefore(v: string | null): { createdAt: Date; id: string } | undefined {
  const m = v ? /^(.+)_([0-9a-f-]{36})$/i.exec(v) : null
  if (!m || !isUuid(m[2]) || Number.isNaN(Date.parse(m[1]))) return undefined
  return { createdAt: new Date(m[1]), id: m[2] }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const unreadOnly = url.searchParams.get('filtre') === 'non-lues'
  const db = context.runtime.db
  const q = { workspaceId: auth.user.workspaceId, userId: auth.user.id }
  const rows = await listNotifications(db, { ...q, unreadOnly, limit: PAGE + 1, before: parseBefore(url.searchParams.get('before')) })
  const page = rows.slice(0, PAGE)
  const last = page.at(-1)
  return {
    unreadOnly,
    unread: await unreadCount(db, q.workspaceId, q.userId),
    markedAll: url.searchParams.get('lues') === '1',
    notifications: page.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      read: n.read_at !== null,
      createdAt: new Date(n.created_at).toISOString(),
    })),
    next: rows.length > PAGE && last ? `${new Date(last.created_at).toISOString()}_${last.id}` : null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const { form } = auth
  const q = { workspaceId: auth.user.workspaceId, userId: auth.user.id }
  const back = safeRedirectTo(form.get('back'), '/notifications')
  switch (form.get('intent')) {
    case 'read': {
      const id = form.get('id')
      if (!isUuid(id)) throw notFound()
      await markRead(context.runtime.db, { ...q, ids: [id] })
      return redirect(back)
    }
    case 'read-all': {
      await markRead(context.runtime.db, q)
      const to = new URL(back, 'http://x')
      to.searchParams.set('lues', '1')
      return redirect(to.pathname + to.search)
    }
    default:
      throw notFound()
  }
}

export default function NotificationsPage() {
  const { notifications, unread, unreadOnly, next, markedAll } = useLoaderData<typeof loader>()
  const t = useT()
  const here = unreadOnly ? '/notifications?filtre=non-lues' : '/notifications'
  const tab = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${active ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title={t('notif.title')}
        subtitle={t('notif.subtitle')}
        actions={
          <>
            <Link
              to="/settings/notifications"
              className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-indigo-800 underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              {t('notif.preferences')}
            </Link>
            {unread > 0 ? (
              <Form method="post">
                <AuthenticityTokenInput />
                <input type="hidden" name="back" value={here} />
                <Button name="intent" value="read-all" variant="secondary">
                  {t('notif.markAllRead')}
                </Button>
              </Form>
            ) : null}
          </>
        }
      />
      {markedAll ? (
        <div className="mb-4">
          <Alert tone="success">{t('notif.markedAll')}</Alert>
        </div>
      ) : null}
      <nav aria-label={t('notif.filters')} className="mb-4 flex gap-2">
        <Link to="/notifications" className={tab(!unreadOnly)} aria-current={!unreadOnly ? 'page' : undefined}>
          {t('notif.filterAll')}
        </Link>
        <Link to="/notifications?filtre=non-lues" className={tab(unreadOnly)} aria-current={unreadOnly ? 'page' : undefined}>
          {t('notif.filterUnread')} ({unread})
        </Link>
      </nav>
      {notifications.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">{unreadOnly ? t('notif.emptyUnread') : t('notif.empty')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="notification-list">
          {notifications.map((n) => (
            <li key={n.id} className={`flex flex-wrap items-start gap-3 p-4 sm:flex-nowrap ${n.read ? '' : 'bg-indigo-50/40'}`}>
              <span aria-hidden="true" className={`mt-2 h-2 w-2 shrink-0 rounded-full ${n.read ? 'bg-transparent' : 'bg-indigo-600'}`} />
              <div className="min-w-0 flex-1">
                <p className="font-medium text-slate-900">
                  {n.link ? (
                    <Link to={n.link} className="hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
                      {n.title}
                    </Link>
                  ) : (
                    n.title
                  )}
                  {n.read ? null : (
                    <>
                      {' '}
                      <Badge tone="indigo">{t('notif.unread')}</Badge>
                    </>
                  )}
                </p>
                {n.body ? <p className="mt-1 whitespace-pre-line text-sm text-slate-700">{n.body}</p> : null}
                <p className="mt-1 text-xs text-slate-600">
                  <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                </p>
              </div>
              {n.read ? null : (
                <Form method="post" className="shrink-0">
                  <AuthenticityTokenInput />
                  <input type="hidden" name="id" value={n.id} />
                  <input type="hidden" name="back" value={here} />
                  <button
                    type="submit"
                    name="intent"
                    value="read"
                    className="rounded-md px-2 py-1 text-sm font-medium text-indigo-800 hover:bg-indigo-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  >
                    {t('notif.markRead')}
                    <span className="sr-only"> : {n.title}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <p className="mt-4">
          <Link to={`${here}${unreadOnly ? '&' : '?'}before=${encodeURIComponent(next)}`} className="text-sm font-medium text-indigo-800 hover:underline">
            {t('notif.older')} →
          </Link>
        </p>
      ) : null}
    </div>
  )
}
