import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { TaskRow, TaskViewTabs } from '~/components/task-list'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { SCOPE_LABEL, STATUS_FILTERS, TASK_VIEWS } from '~/utils/task-filters'
import { requireUser, requireUserForm } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { formatDate, formatDateTime } from '~/utils/format'
import { domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { commandIdsFor, findVisibleTask, groupTasks, listTasks, moveTaskFromForm, scopesFor, taskFiltersOf } from '~/utils/tasks.server'

export const meta: MetaFunction = () => [{ title: 'Mes tâches — Alforis CRM' }]

const PRIORITIES = ['urgente', 'haute', 'normale', 'basse'] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const filters = taskFiltersOf(url, auth.actor)
  const now = context.runtime.now()
  const { items, capped } = await listTasks(auth, { filters, now, limit: 200 })
  // After a quick move: which task, where it went, and the next occurrence if one was made.
  const movedId = url.searchParams.get('deplace')
  const nextId = url.searchParams.get('suivante')
  const [moved, next] = await Promise.all([movedId ? findVisibleTask(auth, movedId) : null, nextId ? findVisibleTask(auth, nextId) : null])
  return {
    filters,
    scopes: scopesFor(auth.actor),
    groups: groupTasks(items, filters.view, auth.t, now),
    total: items.length,
    capped,
    commandIds: commandIdsFor(items),
    redirectTo: `/tasks${url.search}`,
    moved: moved ? { title: moved.title, status: moved.status } : null,
    next: next?.due_at ? { dueAt: new Date(next.due_at).toISOString(), allDay: next.all_day } : null,
  }
}

/** Quick moves (complete, reopen) from any task list: the list, record pages. */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const { form } = auth
  const values = formValues(form)
  if (form.get('intent') !== 'move') return failure(values, {}, 400, auth.t('errors.generic'))
  let outcome
  try {
    outcome = await moveTaskFromForm(auth, context.runtime.db, form)
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  const back = new URL(safeRedirectTo(form.get('redirectTo'), '/tasks'), 'http://x')
  back.searchParams.delete('deplace')
  back.searchParams.delete('suivante')
  back.searchParams.set('deplace', outcome.task.id)
  if (outcome.result.next) back.searchParams.set('suivante', outcome.result.next.id)
  throw redirect(`${back.pathname}${back.search}${back.pathname.startsWith('/tasks') ? '' : '#taches'}`)
}

export default function Tasks() {
  const { filters, scopes, groups, total, capped, commandIds, redirectTo, moved, next } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const t = useT()
  const select =
    'mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
  const label = 'block text-xs font-medium text-slate-700'
  const filtering = filters.scope !== 'moi' || filters.status !== 'ouvertes' || !!filters.priority || !!filters.q || filters.view !== 'date'
  return (
    <>
      <PageHeader
        title={t('task.myTasks')}
        subtitle={total === 1 ? t('task.countOne') : t('task.count', { count: total })}
        actions={
          <>
            <LinkButton to="/settings/calendar" variant="secondary">
              {t('task.subscribe')}
            </LinkButton>
            <LinkButton to="/tasks/new">{t('task.new')}</LinkButton>
          </>
        }
      />
      <TaskViewTabs current="list" scope={filters.scope} />
      {failed ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError ?? Object.values(failed.errors).join(' ')}</Alert>
        </div>
      ) : null}
      {moved && !failed ? (
        <div className="mb-4">
          <Alert tone="success">
            {next
              ? t('task.completedNext', { date: next.allDay ? formatDate(next.dueAt) : formatDateTime(next.dueAt) })
              : t('task.moved', { title: moved.title, status: t(`task.status.${moved.status}`) })}
          </Alert>
        </div>
      ) : null}

      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label={t('task.filter')}>
        <div>
          <label htmlFor="f-qui" className={label}>
            {t('task.scope')}
          </label>
          <select id="f-qui" name="qui" defaultValue={filters.scope} className={select}>
            {scopes.map((s) => (
              <option key={s} value={s}>
                {t(SCOPE_LABEL[s])}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-statut" className={label}>
            {t('task.statusFilter')}
          </label>
          <select id="f-statut" name="statut" defaultValue={filters.status} className={select}>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(({ ouvertes: 'task.statusFilter.open', fermees: 'task.statusFilter.closed', toutes: 'task.statusFilter.all' } as const)[s])}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-priorite" className={label}>
            {t('task.priorityFilter')}
          </label>
          <select id="f-priorite" name="priorite" defaultValue={filters.priority} className={select}>
            <option value="">{t('task.allPriorities')}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`task.priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-vue" className={label}>
            {t('task.view')}
          </label>
          <select id="f-vue" name="vue" defaultValue={filters.view} className={select}>
            {TASK_VIEWS.map((v) => (
              <option key={v} value={v}>
                {t(({ date: 'task.view.date', priorite: 'task.view.priority', personne: 'task.view.assignee' } as const)[v])}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-[12rem] flex-1">
          <label htmlFor="f-q" className={label}>
            {t('task.searchLabel')}
          </label>
          <input id="f-q" name="q" type="search" defaultValue={filters.q} className={`${select} w-full`} />
        </div>
        <Button variant="secondary">{t('task.filter')}</Button>
        {filtering ? (
          <Link to="/tasks" className="rounded-md px-3 py-2 text-sm font-medium text-indigo-800 hover:underline">
            {t('task.reset')}
          </Link>
        ) : null}
      </Form>

      {capped ? (
        <div className="mb-4">
          <Alert tone="warning">{t('task.capped', { shown: total })}</Alert>
        </div>
      ) : null}
      {groups.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600">{t('task.empty')}</p>
        </Card>
      ) : (
        <div className="space-y-6">
          {groups.map((g) => (
            <section key={g.key} aria-labelledby={`groupe-${g.key}`} className="rounded-lg border border-slate-200 bg-white px-4 shadow-sm sm:px-6">
              <h2
                id={`groupe-${g.key}`}
                className={`flex items-baseline justify-between border-b border-slate-100 py-3 text-sm font-semibold ${g.key === 'overdue' ? 'text-red-800' : 'text-slate-900'}`}
              >
                <span>{g.label}</span>
                <span className="text-xs font-medium text-slate-600">
                  {g.items.length === 1 ? t('task.countOne') : t('task.count', { count: g.items.length })}
                </span>
              </h2>
              <ul className="divide-y divide-slate-100">
                {g.items.map((item) => (
                  <TaskRow key={item.id} item={item} redirectTo={redirectTo} commandId={commandIds[item.id] ?? ''} />
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </>
  )
}
