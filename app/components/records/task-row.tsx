import type { ReactNode } from 'react'
import { useT } from '~/i18n/use-t'
import { formatDate, formatDateTime } from '~/utils/format'
import { RepeatIcon } from '../task-icons'
import { Badge, type BadgeTone } from '../ui/badge'
import { PendingBadge, RecordLink } from './record-link'

// One task in a list, from plain data. Its control (the round "Terminer" in front) is given
// by the caller: online a form posted to /tasks (works without JavaScript), offline a
// button that queues the change on the device (app/offline/views.tsx).

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

export const isClosedTask = (item: Pick<TaskItem, 'status'>) => item.status === 'terminee' || item.status === 'annulee'

export function TaskRowView({
  item,
  control,
  hideLinks = false,
  pending = false,
  extra,
}: {
  item: TaskItem
  /** The round button in front; null shows a dashed placeholder (read-only task). */
  control: ReactNode
  hideLinks?: boolean
  /** Changed on this device and not sent yet. */
  pending?: boolean
  /** Below the row's details (the offline "Reporter" form). */
  extra?: ReactNode
}) {
  const t = useT()
  const closed = isClosedTask(item)
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
    <li id={`tache-${item.id}`} className="flex touch-pan-y items-start gap-3 bg-white py-3" data-swipe={control && !closed ? '' : undefined}>
      {control ?? <span aria-hidden="true" className="mt-0.5 h-6 w-6 flex-none rounded-full border-2 border-dashed border-slate-300" />}
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <RecordLink
            to={`/tasks/${item.id}`}
            className={`font-medium hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${closed ? 'text-slate-500 line-through' : 'text-indigo-800'}`}
          >
            {item.title}
          </RecordLink>
          {pending ? <PendingBadge /> : null}
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
              <RecordLink to={about.to} className="font-medium text-indigo-800 hover:underline">
                {about.name}
              </RecordLink>
            </span>
          ) : null}
        </p>
        {extra}
      </div>
    </li>
  )
}
