import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { HistoryList } from '~/components/history-list'
import { TaskFields } from '~/components/task-fields'
import { RepeatIcon } from '~/components/task-icons'
import { DueLabel, PRIORITY_TONE, STATUS_TONE } from '~/components/task-list'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { updateTaskCommand } from '../../domain/tasks/task.commands'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatDate, formatDateTime } from '~/utils/format'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { historyOf } from '~/utils/history.server'
import { findVisibleTask, isOverdue, isTaskStatus, moveTaskFromForm } from '~/utils/tasks.server'
import {
  allTaskErrors,
  linkErrors,
  postedTaskValues,
  readTaskFields,
  taskFormSchema,
  recurrenceLabel,
  taskFormOptions,
  taskFormValues,
} from '~/utils/task-form.server'
import { userNames } from '~/utils/visibility.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.task.title ?? 'Tâche'} — Alforis CRM` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const task = await findVisibleTask(auth, params.id ?? '')
  if (!task) throw notFound()
  const names = await userNames(auth.tenant)
  const label = (code: string) => (isTaskStatus(code) ? auth.t(`task.status.${code}`) : code ? (names[code] ?? code) : auth.t('common.unassigned'))
  const nextId = new URL(request.url).searchParams.get('suivante')
  const [options, history, next] = await Promise.all([
    task.canWrite
      ? taskFormOptions(auth, { ...task, assignee: task.assignee_id ? { id: task.assignee_id, name: task.assignee_name ?? '' } : null })
      : Promise.resolve(null),
    historyOf(auth, task.id, label),
    nextId ? findVisibleTask(auth, nextId) : null,
  ])
  const { canWrite, assignee_name, creator_name, organisation, contact, deal } = task
  return {
    task: {
      id: task.id,
      title: task.title,
      description: task.description,
      status: task.status,
      priority: task.priority,
      version: task.version,
      dueAt: task.due_at ? new Date(task.due_at).toISOString() : null,
      allDay: task.all_day,
      overdue: isOverdue(task, auth.now()),
      completedAt: task.completed_at ? new Date(task.completed_at).toISOString() : null,
      occurrence: task.occurrence_index + 1,
      recurrence: recurrenceLabel(task.rrule, auth.locale),
      canWrite,
      assigneeName: assignee_name,
      creatorName: creator_name,
      organisation,
      contact,
      deal,
    },
    values: taskFormValues(task),
    options,
    history,
    next: next?.due_at ? { id: next.id, dueAt: new Date(next.due_at).toISOString(), allDay: next.all_day } : null,
    commandIds: { update: randomUUID(), move: randomUUID() },
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const task = await findVisibleTask(auth, params.id ?? '')
  if (!task) throw notFound()
  if (!task.canWrite) throw forbidden()
  const { form } = auth
  const db = context.runtime.db

  if (form.get('intent') === 'move') {
    form.set('taskId', task.id)
    const values = formValues(form)
    let outcome
    try {
      outcome = await moveTaskFromForm(auth, db, form)
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    const next = outcome.result.next
    throw redirect(next ? `/tasks/${task.id}?suivante=${next.id}` : `/tasks/${task.id}?enregistre=1`)
  }

  const values = postedTaskValues(form, formValues(form))
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return failure(values, {}, 400, auth.t('errors.generic'))
  const parsed = parseForm(form, taskFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readTaskFields(parsed.value, auth)
  const options = await taskFormOptions(auth, { ...task, assignee: task.assignee_id ? { id: task.assignee_id, name: task.assignee_name ?? '' } : null })
  Object.assign(errors, linkErrors(fields, options, auth.t))
  if (Object.keys(errors).length) return failure(values, allTaskErrors(fields, errors, auth.locale), 400)
  try {
    await updateTaskCommand(db, auth.ctx(commandIdOf(form)), { id: task.id, expectedVersion, fields }, { mail: context.runtime.jobs })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/tasks/${task.id}?enregistre=1`)
}

const MOVES = {
  a_faire: ['terminee', 'en_cours', 'annulee'],
  en_cours: ['terminee', 'a_faire', 'annulee'],
  terminee: ['a_faire'],
  annulee: ['a_faire'],
} as const
const MOVE_LABEL = { terminee: 'task.complete', en_cours: 'task.start', annulee: 'task.cancel', a_faire: 'task.reopen' } as const

export default function TaskPage() {
  const { task, values, options, history, next, commandIds } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const busy = navigation.state === 'submitting'
  const updateFailed = failed?.values.intent === 'update' ? failed : undefined
  const moveFailed = failed?.values.intent === 'move' ? failed : undefined
  const closed = task.status === 'terminee' || task.status === 'annulee'
  const about = [
    task.organisation ? { to: `/organisations/${task.organisation.id}`, label: t('task.organisation'), name: task.organisation.name } : null,
    task.contact ? { to: `/contacts/${task.contact.id}`, label: t('task.contact'), name: task.contact.name } : null,
    task.deal ? { to: `/deals/${task.deal.id}`, label: t('task.deal'), name: task.deal.name } : null,
  ].filter((x) => x !== null)
  return (
    <>
      <PageHeader
        title={<span className={closed ? 'text-slate-600' : ''}>{task.title}</span>}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[task.status]}>{t(`task.status.${task.status}`)}</Badge>
            <Badge tone={PRIORITY_TONE[task.priority]}>
              {t('task.priority')} : {t(`task.priority.${task.priority}`)}
            </Badge>
            {task.completedAt ? <span>{t('task.completedAt', { date: formatDateTime(task.completedAt) })}</span> : null}
          </span>
        }
        actions={
          <Link to="/tasks" className="text-sm font-medium text-indigo-800 hover:underline">
            ← {t('task.myTasks')}
          </Link>
        }
      />
      {next && !failed ? (
        <div className="mb-4">
          <Alert tone="success">
            <Link to={`/tasks/${next.id}`} className="underline">
              {t('task.completedNext', { date: next.allDay ? formatDate(next.dueAt) : formatDateTime(next.dueAt) })}
            </Link>
          </Alert>
        </div>
      ) : null}
      {(search.get('enregistre') || search.get('cree')) && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{search.get('cree') ? t('task.created') : t('common.saved')}</Alert>
        </div>
      ) : null}
      {moveFailed ? (
        <div className="mb-4">
          <Alert tone="error">{moveFailed.formError ?? Object.values(moveFailed.errors).join(' ')}</Alert>
        </div>
      ) : null}

      <dl className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-3">
        <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{t('task.due')}</dt>
          <dd className="mt-1 text-base font-semibold text-slate-900">
            <DueLabel dueAt={task.dueAt} allDay={task.allDay} overdue={task.overdue} />
            {task.dueAt && task.allDay ? <span className="text-sm font-normal text-slate-600"> ({t('task.allDay')})</span> : null}
            {task.overdue ? (
              <span className="ml-2 text-sm font-semibold text-red-700" aria-hidden="true">
                {t('task.overdue')}
              </span>
            ) : null}
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{t('task.assignee')}</dt>
          <dd className="mt-1 text-base font-semibold text-slate-900">{task.assigneeName ?? t('common.unassigned')}</dd>
          <dd className="text-xs text-slate-600">
            {t('task.createdBy')} {task.creatorName ?? t('common.system')}
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{t('task.about')}</dt>
          <dd className="mt-1 space-y-0.5 text-sm">
            {about.length ? (
              about.map((a) => (
                <p key={a.to}>
                  <span className="text-slate-600">{a.label} : </span>
                  <Link to={a.to} className="font-medium text-indigo-800 hover:underline">
                    {a.name}
                  </Link>
                </p>
              ))
            ) : (
              <span className="text-slate-600">{t('common.none')}</span>
            )}
          </dd>
        </div>
      </dl>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {task.description ? (
            <Card title={t('task.description')}>
              <p className="whitespace-pre-line break-words text-sm text-slate-800">{task.description}</p>
            </Card>
          ) : null}
          {task.recurrence ? (
            <Card>
              <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
                <RepeatIcon className="h-5 w-5 text-indigo-700" />
                {t('task.recurrence.repeats')} : {task.recurrence} · {t('task.occurrence', { n: task.occurrence })}
              </p>
              <p className="mt-1 text-xs text-slate-600">{t('task.recurringHint')}</p>
            </Card>
          ) : null}
          {task.canWrite && options ? (
            <>
              <div className="flex flex-wrap gap-3">
                {MOVES[task.status].map((to) => (
                  <Form key={to} method="post">
                    <AuthenticityTokenInput />
                    <input type="hidden" name="intent" value="move" />
                    <input type="hidden" name="to" value={to} />
                    <input type="hidden" name="version" value={task.version} />
                    <input type="hidden" name="commandId" value={commandIds.move} />
                    <Button disabled={busy} variant={to === 'terminee' || (closed && to === 'a_faire') ? 'primary' : to === 'annulee' ? 'danger' : 'secondary'}>
                      {t(MOVE_LABEL[to])}
                    </Button>
                  </Form>
                ))}
              </div>
              <Card title={t('task.edit')}>
                <Form method="post" noValidate className="space-y-6" key={`edit-${task.version}`}>
                  <AuthenticityTokenInput />
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="commandId" value={commandIds.update} />
                  <input type="hidden" name="version" value={task.version} />
                  {updateFailed ? <Alert tone="error">{updateFailed.formError ?? t('errors.formSummary')}</Alert> : null}
                  <TaskFields values={updateFailed?.values ?? values} errors={updateFailed?.errors ?? {}} options={options} />
                  <Button disabled={busy}>{t('common.save')}</Button>
                </Form>
              </Card>
            </>
          ) : (
            <Card>
              <p className="text-sm text-slate-600">{t('task.readOnly')}</p>
            </Card>
          )}
        </div>
        <div className="min-w-0 space-y-6">
          <Card title={t('common.history')}>
            <HistoryList items={history} />
          </Card>
        </div>
      </div>
    </>
  )
}
