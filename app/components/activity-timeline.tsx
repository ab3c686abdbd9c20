import { Link, useLocation } from '@remix-run/react'
import type { ComponentType } from 'react'
import { useT } from '~/i18n/use-t'
import { formatDateTime } from '~/utils/format'
import { PendingBadge, RecordLink } from './records/record-link'
import { LogActivityForm, type ActivityLinks } from './log-activity-form'
import { CalendarIcon, MailIcon, NoteIcon, PhoneIcon } from './ui/icons'

type Kind = 'note' | 'call' | 'meeting' | 'email'

/** What the timeline shows of one activity (see utils/activities.server.ts `loadTimeline`). */
export type TimelineEntry = {
  id: string
  kind: Kind
  subject: string
  body: string | null
  occurredAt: string
  durationMinutes: number | null
  authorName: string | null
  contact: { id: string; name: string } | null
  deal: { id: string; title: string } | null
  canChange: boolean
  /** Written on this device offline and not sent yet (app/offline/views.tsx). */
  pending?: boolean
}

const KIND_STYLE: Record<Kind, { Icon: ComponentType<{ className?: string }>; tone: string }> = {
  note: { Icon: NoteIcon, tone: 'bg-slate-100 text-slate-700 ring-slate-300' },
  call: { Icon: PhoneIcon, tone: 'bg-green-50 text-green-800 ring-green-300' },
  meeting: { Icon: CalendarIcon, tone: 'bg-amber-50 text-amber-900 ring-amber-300' },
  email: { Icon: MailIcon, tone: 'bg-sky-50 text-sky-900 ring-sky-300' },
}

/**
 * A record's activities, newest first. "Voir plus" moves the keyset cursor
 * (`?activites=…`) and works without JavaScript; `hideContact`/`hideDeal` drop the
 * mention of the record the page is already about.
 */
export function ActivityTimeline({
  items,
  nextCursor,
  paged,
  hideContact,
  hideDeal,
}: {
  items: TimelineEntry[]
  nextCursor: string | null
  paged: boolean
  hideContact?: boolean
  hideDeal?: boolean
}) {
  const t = useT()
  const location = useLocation()
  const href = (cursor: string | null) => {
    const params = new URLSearchParams(location.search)
    params.delete('activites')
    params.delete('enregistre')
    if (cursor) params.set('activites', cursor)
    const qs = params.toString()
    return `${location.pathname}${qs ? `?${qs}` : ''}#activites`
  }
  const link =
    'rounded-md px-3 py-2 text-sm font-medium text-indigo-800 ring-1 ring-inset ring-slate-300 bg-white hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'
  return (
    <div>
      {paged ? (
        <p className="mb-3 text-sm">
          <Link to={href(null)} className="font-medium text-indigo-800 hover:underline">
            ← {t('activity.newest')}
          </Link>
        </p>
      ) : null}
      {items.length === 0 ? (
        <p className="text-sm text-slate-600">{paged ? t('activity.noMore') : t('activity.empty')}</p>
      ) : (
        <ol className="space-y-4">
          {items.map((a) => {
            const { Icon, tone } = KIND_STYLE[a.kind] ?? KIND_STYLE.note
            return (
              <li key={a.id} id={`activite-${a.id}`} className="group flex scroll-mt-24 gap-3">
                <span aria-hidden="true" className={`mt-0.5 grid h-9 w-9 flex-none place-items-center rounded-full ring-1 ring-inset ${tone}`}>
                  <Icon className="h-5 w-5" />
                </span>
                <article
                  className="min-w-0 flex-1 rounded-lg border border-slate-200 bg-white px-4 py-3 group-target:border-indigo-400 group-target:ring-2 group-target:ring-indigo-200"
                  aria-labelledby={`activite-${a.id}-titre`}
                >
                  <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
                    <h3 id={`activite-${a.id}-titre`} className="min-w-0 text-sm text-slate-900">
                      <span className="font-semibold">{t(`activity.kind.${a.kind}`)}</span>
                      <span aria-hidden="true" className="text-slate-400">
                        {' '}
                        ·{' '}
                      </span>
                      <span className="sr-only"> : </span>
                      <span className="break-words">{a.subject}</span>
                      {a.pending ? <PendingBadge /> : null}
                    </h3>
                    {a.canChange ? (
                      <Link
                        to={`/activities/${a.id}?redirectTo=${encodeURIComponent(location.pathname)}`}
                        className="text-xs font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                      >
                        {t('activity.edit')}
                        <span className="sr-only"> : {a.subject}</span>
                      </Link>
                    ) : null}
                  </div>
                  <p className="mt-0.5 text-xs text-slate-600">
                    <time dateTime={a.occurredAt}>{formatDateTime(a.occurredAt)}</time>
                    {' · '}
                    {t('common.by', { name: a.authorName ?? t('common.system') })}
                    {a.durationMinutes ? <> · {t('activity.minutes', { n: a.durationMinutes })}</> : null}
                  </p>
                  {(a.contact && !hideContact) || (a.deal && !hideDeal) ? (
                    <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-700">
                      {a.contact && !hideContact ? (
                        <span>
                          {t('activity.withContact')}{' '}
                          <RecordLink to={`/contacts/${a.contact.id}`} className="font-medium text-indigo-800 hover:underline">
                            {a.contact.name}
                          </RecordLink>
                        </span>
                      ) : null}
                      {a.deal && !hideDeal ? (
                        <span>
                          {t('activity.onDeal')}{' '}
                          <RecordLink to={`/deals/${a.deal.id}`} className="font-medium text-indigo-800 hover:underline">
                            {a.deal.title}
                          </RecordLink>
                        </span>
                      ) : null}
                    </p>
                  ) : null}
                  {a.body ? <p className="mt-2 whitespace-pre-line break-words text-sm text-slate-800">{a.body}</p> : null}
                </article>
              </li>
            )
          })}
        </ol>
      )}
      {nextCursor ? (
        <div className="mt-4 flex justify-center">
          <Link to={href(nextCursor)} className={link} rel="next">
            {t('activity.more')}
          </Link>
        </div>
      ) : null}
    </div>
  )
}

type Section = {
  timeline: { items: TimelineEntry[]; nextCursor: string | null; paged: boolean }
  log: { links: ActivityLinks; redirectTo: string; commandId: string; now: string } | null
}

/**
 * The "Activités" card of a record page: the log form (folded; a <details>, so it opens
 * without JavaScript) above the timeline. Feed it `activitiesSection()` from the loader.
 */
export function ActivitiesSection({
  section,
  hideContact,
  hideDeal,
  className = '',
}: {
  section: Section
  hideContact?: boolean
  hideDeal?: boolean
  className?: string
}) {
  const t = useT()
  const location = useLocation()
  const { timeline, log } = section
  return (
    <section
      id="activites"
      aria-labelledby="activites-titre"
      className={`scroll-mt-20 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6 ${className}`}
    >
      <h2 id="activites-titre" className="mb-4 text-base font-semibold text-slate-900">
        {t('activity.title')}
      </h2>
      {log ? (
        <details className="group mb-6 rounded-lg border border-slate-200 bg-slate-50 open:bg-white">
          <summary className="flex cursor-pointer list-none items-center justify-between gap-2 rounded-lg px-4 py-3 text-sm font-semibold text-indigo-800 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
            <span>
              <span aria-hidden="true">+ </span>
              {t('activity.log')}
            </span>
            <span aria-hidden="true" className="text-slate-500 transition-transform group-open:rotate-180">
              ▾
            </span>
          </summary>
          <div className="border-t border-slate-200 px-4 pb-4 pt-4">
            {/* Keyed by the fragment: a save comes back at #activite-<new id> and the form starts
                empty; a refusal (the page revalidates, a new command id arrives) keeps what was typed. */}
            <LogActivityForm
              key={location.hash || 'formulaire'}
              links={log.links}
              redirectTo={log.redirectTo}
              commandId={log.commandId}
              defaultOccurredAt={log.now}
            />
          </div>
        </details>
      ) : null}
      <ActivityTimeline {...timeline} hideContact={hideContact} hideDeal={hideDeal} />
    </section>
  )
}
