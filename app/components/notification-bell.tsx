import { Link } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useT } from '~/i18n/use-t'

// The bell of the top bar. Without JavaScript: a link to /notifications with the
// unread count the page was rendered with. With it: the count follows the
// notifications event stream (/notifications/stream) live, and screen readers hear
// each new notification's title.

type StreamNotification = { id: string; title: string; unread: number }

export function NotificationBell({ count: rendered }: { count: number }) {
  const t = useT()
  const [count, setCount] = useState(rendered)
  const [announce, setAnnounce] = useState('')
  // A navigation or a form (mark read) revalidates the root loader: take its number.
  useEffect(() => setCount(rendered), [rendered])

  useEffect(() => {
    if (typeof EventSource === 'undefined') return
    const es = new EventSource('/notifications/stream')
    const onUnread = (e: MessageEvent<string>) => setCount((JSON.parse(e.data) as { count: number }).count)
    const onNotification = (e: MessageEvent<string>) => {
      const n = JSON.parse(e.data) as StreamNotification
      setCount(n.unread)
      setAnnounce(t('notif.live', { title: n.title }))
    }
    es.addEventListener('unread', onUnread)
    es.addEventListener('notification', onNotification)
    return () => es.close()
    // t changes identity on each render; the stream must not reconnect for that.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const label = count === 0 ? t('notif.bellNone') : count === 1 ? t('notif.bellOne') : t('notif.bellMany', { count })
  return (
    <>
      <Link
        to="/notifications"
        aria-label={label}
        title={label}
        data-testid="notification-bell"
        data-unread={count}
        className="relative inline-flex h-9 w-9 shrink-0 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <BellIcon className="h-5 w-5" />
        {count > 0 ? (
          <span
            aria-hidden="true"
            className="absolute -right-0.5 -top-0.5 min-w-[1.25rem] rounded-full bg-red-700 px-1 text-center text-[11px] font-semibold leading-5 text-white ring-2 ring-white"
          >
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </Link>
      <span aria-live="polite" className="sr-only">
        {announce}
      </span>
    </>
  )
}

function BellIcon({ className }: { className?: string }) {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  )
}
