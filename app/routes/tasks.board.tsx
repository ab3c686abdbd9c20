import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { BOARD_COLUMNS, TaskBoard, type TaskMoveResult, type TaskStatusCode } from '~/components/task-board'
import { TaskViewTabs } from '~/components/task-list'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { SCOPE_LABEL } from '~/utils/task-filters'
import { DomainError, ForbiddenError, NotFoundError } from '../../domain/shared/errors'
import { errorText } from '~/i18n/errors'
import { requireUser, requireUserForm } from '~/utils/auth.server'
import { domainFailure, failure, formValues, text, type FormFailure } from '~/utils/forms.server'
import { commandIdsFor, findVisibleTask, listTasks, moveTaskFromForm, scopesFor, taskFiltersOf, type TaskListItem } from '~/utils/tasks.server'

export const meta: MetaFunction = () => [{ title: 'Tableau des tâches — Alforis CRM' }]

const CLOSED_DAYS = 30

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const filters = taskFiltersOf(url, auth.actor)
  const now = context.runtime.now()
  // Open tasks, and those closed in the last 30 days (the done column does not grow forever).
  const { items } = await listTasks(auth, {
    filters: { ...filters, status: 'toutes' },
    closedSince: new Date(now.getTime() - CLOSED_DAYS * 86_400_000),
    limit: 500,
    now,
  })
  const columns = Object.fromEntries(BOARD_COLUMNS.map((s) => [s, [] as TaskListItem[]])) as Record<TaskStatusCode, TaskListItem[]>
  for (const i of items) columns[i.status].push(i)
  const movedId = url.searchParams.get('deplace')
  const moved = movedId ? await findVisibleTask(auth, movedId) : null
  return {
    filters,
    scopes: scopesFor(auth.actor),
    columns,
    query: filters.scope !== 'moi' ? `?qui=${filters.scope}` : '',
    commandIds: commandIdsFor(items),
    moved: moved ? { title: moved.title, status: moved.status } : null,
  }
}

/**
 * Moves a task to a column: the same command as the task page. Posted by the card's form
 * without JavaScript (redirect back to the board, errors beside the card) and by
 * drag-and-drop through a fetcher (`js=1`: a JSON answer, the board rolls back on error).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const { form } = auth
  const js = form.get('js') === '1'
  const values = formValues(form)
  const taskId = text(form, 'taskId')
  if (form.get('intent') !== 'move') return failure(values, {}, 400, auth.t('errors.generic'))
  const fail = (status: number, error: string) => data<TaskMoveResult>({ ok: false, taskId, error }, { status })
  let outcome
  try {
    outcome = await moveTaskFromForm(auth, context.runtime.db, form)
  } catch (e) {
    if (js) {
      if (e instanceof NotFoundError) return fail(404, auth.t('errors.notFoundText'))
      if (e instanceof ForbiddenError) return fail(403, auth.t('errors.forbiddenText'))
      if (e instanceof DomainError) return fail(e.status, errorText(auth.locale, e))
      throw e
    }
    return domainFailure(e, values, auth)
  }
  if (js) return data<TaskMoveResult>({ ok: true, taskId: outcome.task.id, status: outcome.to })
  const back = new URLSearchParams(new URL(request.url).search)
  back.set('deplace', outcome.task.id)
  throw redirect(`/tasks/board?${back}#carte-${outcome.task.id}`)
}

export default function TaskBoardPage() {
  const { filters, scopes, columns, query, commandIds, moved } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const failed = answer && 'values' in answer ? (answer as FormFailure) : undefined
  const [search] = useSearchParams()
  const t = useT()
  return (
    <div className="-mx-4 sm:mx-0">
      <div className="px-4 sm:px-0">
        <PageHeader title={t('board.title')} actions={<LinkButton to="/tasks/new">{t('task.new')}</LinkButton>} />
        <TaskViewTabs current="board" scope={filters.scope} />
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-2" aria-label={t('task.filter')}>
          <div>
            <label htmlFor="f-qui" className="block text-xs font-medium text-slate-700">
              {t('task.scope')}
            </label>
            <select
              id="f-qui"
              name="qui"
              defaultValue={filters.scope}
              className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
            >
              {scopes.map((s) => (
                <option key={s} value={s}>
                  {t(SCOPE_LABEL[s])}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary">{t('task.filter')}</Button>
        </Form>
        {moved && search.get('deplace') && !failed ? (
          <div className="mb-4">
            <Alert tone="success">{t('task.moved', { title: moved.title, status: t(`task.status.${moved.status}`) })}</Alert>
          </div>
        ) : null}
        {failed?.formError && !failed.values.taskId ? (
          <div className="mb-4">
            <Alert tone="error">{failed.formError}</Alert>
          </div>
        ) : null}
      </div>
      <TaskBoard columns={columns} query={query} commandIds={commandIds} failure={failed} />
    </div>
  )
}
