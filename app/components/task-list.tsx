import { Form, Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { formatDate, formatDateTime } from '~/utils/format'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { RepeatIcon } from './task-icons'
import { Badge, type BadgeTone } from './ui/badge'

/** What a list shows of one task (see utils/tasks.server.ts `listTasks`). */
export type TaskItem = {
  id: string
  title: string
  status: 'a_faire' | 'en_cours' | 'terminee' | 'annulee'
  priority: 'urgente' | 'haute' | 'normale' | 'basse'
  version: number
  dueAt: string | null
  allDay: boolean
  overdue: boolean
  recurring: boolean
  assigneeName: string | null
  completedAt: string | null
  canWrite: boolean
  organisation: { id: string; name: string } | null
  contact: { id: string; name: string } | null
  deal: { id: string; name: string } | null
}

export const PRIORITY_TONE: Record<TaskItem['priority'], BadgeTone> = { urgente: 'red', haute: 'amber', normale: 'slate', basse: 'slate' }
export const STATUS_TONE: Record<TaskItem['status'], BadgeTone> = { a_faire: 'indigo', en_cours: 'amber', terminee: 'green', annulee: 'slate' }

/** "29/03/2027 09:00", or "29/03/2027 (toute la journée)". */
export function DueLabel({ dueAt, allDay, overdue }: { dueAt: string | null; allDay: boolean; overdue?: boolean }) {
  const t = useT()
  if (!dueAt) return <span className="text-slate-600">{t('task.noDue')}</span>
  return (
    <time dateTime={dueAt} className={overdue ? 'font-semibold text-red-700' : 'text-slate-700'}>
      {allDay ? formatDate(dueAt) : formatDateTime(dueAt)}
      {overdue ? <span className="sr-only"> ({t('task.overdue')})</span> : null}
    </time>
  )
}

/**
 * The round "Terminer" (or "Rouvrir") button in front of a task: a plain form posted to
 * /tasks, which comes back to `redirectTo`. Works without JavaScript.
 */
export function QuickMoveForm({ item, redirectTo, commandId }: { item: TaskItem; redirectTo: string; commandId: string }) {
  const t = useT()
  const closed = item.status === 'terminee' || item.status === 'annulee'
  const label = closed ? t('task.reopenNamed', { title: item.title }) : t('task.completeNamed', { title: item.title })
  return (
    <Form method="post" action="/tasks?index" className="flex-none">
      <AuthenticityTokenInput />
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="taskId" value={item.id} />
      <input type="hidden" name="to" value={closed ? 'a_faire' : 'terminee'} />
      <input type="hidden" name="version" value={item.version} />
      <input type="hidden" name="commandId" value={commandId} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        aria-label={label}
        title={label}
        // On phones, swiping the task's row to the right presses this button (app/offline/gestures.tsx).
        data-swipe-action={closed ? undefined : ''}
        className={`grid h-6 w-6 place-items-center rounded-full border-2 text-xs focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
          closed
            ? 'border-green-600 bg-green-600 text-white hover:bg-green-700'
            : 'border-slate-400 bg-white text-transparent hover:border-green-600 hover:text-green-700'
        }`}
      >
        <span aria-hidden="true">✓</span>
      </button>
    </Form>
  )
}

export function TaskRow({ item, redirectTo, commandId, hideLinks = false }: { item: TaskItem; redirectTo: string; commandId: string; hideLinks?: boolean }) {
  const t = useT()
  const closed = item.status === 'terminee' || item.status === 'annulee'
  const about = hideLinks
    ? null
    : item.deal
      ? { to: `/deals/${item.deal.id}`, name: item.deal.name }
      : item.contact
        ? { to: `/contacts/${item.contact.id}`, name: item.contact.name }
        : item.organisation
          ? { to: `/organisations/${item.organisation.id}`, name: item.organisation.name }
          : null
  return (
    <li id={`tache-${item.id}`} className="flex touch-pan-y items-start gap-3 bg-white py-3" data-swipe={item.canWrite && !closed ? '' : undefined}>
      {item.canWrite ? (
        <QuickMoveForm item={item} redirectTo={redirectTo} commandId={commandId} />
      ) : (
        <span aria-hidden="true" className="mt-0.5 h-6 w-6 flex-none rounded-full border-2 border-dashed border-slate-300" />
      )}
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Link
            to={`/tasks/${item.id}`}
            className={`font-medium hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${closed ? 'text-slate-500 line-through' : 'text-indigo-800'}`}
          >
            {item.title}
          </Link>
          {item.recurring ? (
            <span title={t('task.recurring')}>
              <RepeatIcon className="h-4 w-4 text-slate-500" />
              <span className="sr-only">{t('task.recurring')}</span>
            </span>
          ) : null}
          {item.priority !== 'normale' ? <Badge tone={PRIORITY_TONE[item.priority]}>{t(`task.priority.${item.priority}`)}</Badge> : null}
          {item.status !== 'a_faire' ? <Badge tone={STATUS_TONE[item.status]}>{t(`task.status.${item.status}`)}</Badge> : null}
        </p>
        <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-slate-600">
          <DueLabel dueAt={item.dueAt} allDay={item.allDay} overdue={item.overdue} />
          <span>{item.assigneeName ?? t('common.unassigned')}</span>
          {about ? (
            <span>
              {t('task.about')}{' '}
              <Link to={about.to} className="font-medium text-indigo-800 hover:underline">
                {about.name}
              </Link>
            </span>
          ) : null}
        </p>
      </div>
    </li>
  )
}

/** The "Tâches" card of a record page. Feed it `tasksSection()` from the loader. */
export function RecordTasks({
  section,
  canCreate,
}: {
  section: { items: TaskItem[]; newHref: string; redirectTo: string; commandIds: Record<string, string> }
  canCreate: boolean
}) {
  const t = useT()
  return (
    <section id="taches" aria-labelledby="taches-titre" className="scroll-mt-20 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="taches-titre" className="text-base font-semibold text-slate-900">
          {t('task.section')}
        </h2>
        {canCreate ? (
          <Link
            to={section.newHref}
            className="rounded-md px-2 py-1 text-sm font-semibold text-indigo-800 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            <span aria-hidden="true">+ </span>
            {t('task.new')}
          </Link>
        ) : null}
      </div>
      {section.items.length === 0 ? (
        <p className="text-sm text-slate-600">{t('task.sectionEmpty')}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {section.items.map((item) => (
            <TaskRow key={item.id} item={item} redirectTo={section.redirectTo} commandId={section.commandIds[item.id] ?? ''} />
          ))}
        </ul>
      )}
    </section>
  )
}

/** Liste / Calendrier / Tableau, keeping the "whose tasks" filter. */
export function TaskViewTabs({ current, scope }: { current: 'list' | 'calendar' | 'board'; scope: string }) {
  const t = useT()
  const qs = scope && scope !== 'moi' ? `?qui=${scope}` : ''
  const tabs = [
    { key: 'list', to: `/tasks${qs}`, label: t('task.list') },
    { key: 'calendar', to: `/tasks/calendar${qs}`, label: t('task.calendar') },
    { key: 'board', to: `/tasks/board${qs}`, label: t('task.board') },
  ] as const
  return (
    <nav aria-label={t('task.views')} className="mb-4">
      <ul className="inline-flex rounded-lg bg-slate-100 p-1">
        {tabs.map((tab) => (
          <li key={tab.key}>
            <Link
              to={tab.to}
              aria-current={tab.key === current ? 'page' : undefined}
              className={`block rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                tab.key === current ? 'bg-white text-indigo-800 shadow-sm' : 'text-slate-700 hover:text-slate-900'
              }`}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
