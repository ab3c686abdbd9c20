import { Form, Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { TaskRowView, type TaskItem } from './records/task-row'

export { DueLabel, PRIORITY_TONE, STATUS_TONE, type TaskItem } from './records/task-row'

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
  return (
    <TaskRowView
      item={item}
      hideLinks={hideLinks}
      control={item.canWrite ? <QuickMoveForm item={item} redirectTo={redirectTo} commandId={commandId} /> : null}
    />
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
