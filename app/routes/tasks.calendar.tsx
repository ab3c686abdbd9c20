import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { TaskRow, TaskViewTabs, type TaskItem } from '~/components/task-list'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { PageHeader } from '~/components/ui/page-header'
import { useLocale, useT } from '~/i18n/use-t'
import { SCOPE_LABEL } from '~/utils/task-filters'
import { addDays, mondayOf, parisDay, startOfParisDay } from '../../domain/shared/paris-time'
import { requireUser } from '~/utils/auth.server'
import { formatParisTime } from '../../domain/tasks/task-format'
import { commandIdsFor, listTasks, scopesFor, taskFiltersOf } from '~/utils/tasks.server'

export const meta: MetaFunction = () => [{ title: 'Calendrier des tâches — Alforis CRM' }]

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * The month grid (Monday first) of `?mois=2027-03`, and for phones the week of
 * `?semaine=2027-03-22` (by default the week of today if it is in that month, else the
 * month's first week). Both are plain links: no JavaScript needed.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const filters = taskFiltersOf(url, auth.actor)
  const now = context.runtime.now()
  const today = parisDay(now)
  const weekParam = url.searchParams.get('semaine') ?? ''
  const week = DAY.test(weekParam) && !Number.isNaN(Date.parse(weekParam)) ? mondayOf(weekParam) : null
  const monthParam = url.searchParams.get('mois') ?? ''
  const month = MONTH.test(monthParam) ? monthParam : (week ?? today).slice(0, 7)
  const first = `${month}-01`
  const gridStart = mondayOf(first)
  const nextMonthFirst = addDays(first, 40).slice(0, 7) + '-01'
  const lastDay = addDays(nextMonthFirst, -1)
  const gridEnd = addDays(mondayOf(lastDay), 7) // exclusive
  const weekStart = week ?? (today.startsWith(month) ? mondayOf(today) : gridStart)
  const from = weekStart < gridStart ? weekStart : gridStart
  const to = addDays(weekStart, 7) > gridEnd ? addDays(weekStart, 7) : gridEnd
  const { items, capped } = await listTasks(auth, {
    filters,
    dueFrom: startOfParisDay(from),
    dueTo: startOfParisDay(to),
    limit: 1000,
    now,
  })
  const byDay: Record<string, TaskItem[]> = {}
  for (const item of items) if (item.dueDay) (byDay[item.dueDay] ??= []).push(item)
  const days: string[] = []
  for (let d = gridStart; d < gridEnd; d = addDays(d, 1)) days.push(d)
  const qs = (extra: Record<string, string>) => {
    const p = new URLSearchParams()
    if (filters.scope !== 'moi') p.set('qui', filters.scope)
    if (filters.status !== 'ouvertes') p.set('statut', filters.status)
    for (const [k, v] of Object.entries(extra)) p.set(k, v)
    return `?${p}`
  }
  const prevMonth = addDays(first, -1).slice(0, 7)
  const nextMonth = nextMonthFirst.slice(0, 7)
  const prevWeek = addDays(weekStart, -7)
  const nextWeek = addDays(weekStart, 7)
  return {
    filters,
    scopes: scopesFor(auth.actor),
    month,
    today,
    days,
    byDay,
    capped,
    week: Array.from({ length: 7 }, (_, i) => addDays(weekStart, i)),
    commandIds: commandIdsFor(items),
    redirectTo: `/tasks/calendar${url.search}`,
    links: {
      prevMonth: qs({ mois: prevMonth }),
      nextMonth: qs({ mois: nextMonth }),
      thisMonth: qs({}),
      prevWeek: qs({ semaine: prevWeek, mois: prevWeek.slice(0, 7) }),
      nextWeek: qs({ semaine: nextWeek, mois: nextWeek.slice(0, 7) }),
    },
  }
}

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const

export default function TaskCalendar() {
  const { filters, scopes, month, today, days, byDay, capped, week, commandIds, redirectTo, links } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale() === 'en' ? 'en-GB' : 'fr-FR'
  const monthTitle = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`))
  const longDay = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })
  const dayName = (d: string) => longDay.format(new Date(`${d}T12:00:00Z`))
  const nav =
    'rounded-md bg-white px-3 py-1.5 text-sm font-medium text-indigo-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'
  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        actions={
          <>
            <LinkButton to="/settings/calendar" variant="secondary">
              {t('task.subscribe')}
            </LinkButton>
            <LinkButton to="/tasks/new">{t('task.new')}</LinkButton>
          </>
        }
      />
      <TaskViewTabs current="calendar" scope={filters.scope} />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-2" aria-label={t('task.filter')}>
        <input type="hidden" name="mois" value={month} />
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
      {capped ? (
        <div className="mb-4">
          <Alert tone="warning">{t('task.capped', { shown: 1000 })}</Alert>
        </div>
      ) : null}

      {/* Desktop and tablets: the month grid. */}
      <section aria-labelledby="mois-titre" className="hidden md:block">
        <div className="mb-3 flex items-center justify-between gap-2">
          <Link to={links.prevMonth} className={nav} rel="prev">
            <span aria-hidden="true">← </span>
            {t('calendar.previousMonth')}
          </Link>
          <h2 id="mois-titre" className="text-lg font-semibold text-slate-900 first-letter:uppercase">
            {monthTitle}
          </h2>
          <Link to={links.nextMonth} className={nav} rel="next">
            {t('calendar.nextMonth')}
            <span aria-hidden="true"> →</span>
          </Link>
        </div>
        <table className="w-full table-fixed border-collapse overflow-hidden rounded-lg bg-white text-sm shadow-sm">
          <caption className="sr-only">{monthTitle}</caption>
          <thead>
            <tr>
              {WEEKDAYS.map((d) => (
                <th
                  key={d}
                  scope="col"
                  className="border border-slate-200 bg-slate-50 px-2 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600"
                >
                  <abbr title={t(`task.weekday.${d}`)} className="no-underline">
                    {t(`task.weekdayShort.${d}`)}
                  </abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: days.length / 7 }, (_, w) => (
              <tr key={w}>
                {days.slice(w * 7, w * 7 + 7).map((d) => {
                  const inMonth = d.startsWith(month)
                  const items = byDay[d] ?? []
                  return (
                    <td
                      key={d}
                      className={`h-28 border border-slate-200 p-1.5 align-top ${inMonth ? '' : 'bg-slate-50/70'} ${d === today ? 'bg-indigo-50/60' : ''}`}
                    >
                      <div className="mb-1 flex items-center justify-between">
                        <span
                          className={`grid h-6 min-w-6 place-items-center rounded-full px-1 text-xs font-semibold ${d === today ? 'bg-indigo-700 text-white' : inMonth ? 'text-slate-800' : 'text-slate-500'}`}
                        >
                          <span aria-hidden="true">{Number(d.slice(8))}</span>
                          <span className="sr-only">
                            {dayName(d)}
                            {d === today ? ` (${t('calendar.today')})` : ''}
                          </span>
                        </span>
                        <Link
                          to={`/tasks/new?date=${d}`}
                          className="rounded px-1 text-sm font-semibold text-slate-400 hover:bg-indigo-50 hover:text-indigo-800 focus-visible:text-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                          aria-label={t('calendar.addOn', { date: dayName(d) })}
                        >
                          +
                        </Link>
                      </div>
                      <ul className="space-y-1">
                        {items.map((i) => {
                          const closed = i.status === 'terminee' || i.status === 'annulee'
                          return (
                            <li key={i.id}>
                              <Link
                                to={`/tasks/${i.id}`}
                                title={i.title}
                                className={`block truncate rounded px-1.5 py-0.5 text-xs hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                                  closed
                                    ? 'bg-slate-100 text-slate-500 line-through'
                                    : i.overdue
                                      ? 'bg-red-50 text-red-800'
                                      : i.priority === 'urgente'
                                        ? 'bg-amber-50 text-amber-900'
                                        : 'bg-indigo-50 text-indigo-900'
                                }`}
                              >
                                {!i.allDay && i.dueAt ? <span className="font-semibold tabular-nums">{formatParisTime(i.dueAt)} </span> : null}
                                {i.title}
                              </Link>
                            </li>
                          )
                        })}
                      </ul>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {/* Phones: the week, day by day. */}
      <section aria-labelledby="semaine-titre" className="md:hidden">
        <div className="mb-3 flex items-center justify-between gap-2">
          <Link to={links.prevWeek} className={nav} rel="prev">
            <span aria-hidden="true">←</span>
            <span className="sr-only">{t('calendar.previousWeek')}</span>
          </Link>
          <h2 id="semaine-titre" className="text-base font-semibold text-slate-900">
            {t('calendar.weekOf', { date: dayName(week[0]) })}
          </h2>
          <Link to={links.nextWeek} className={nav} rel="next">
            <span aria-hidden="true">→</span>
            <span className="sr-only">{t('calendar.nextWeek')}</span>
          </Link>
        </div>
        <ol className="space-y-3">
          {week.map((d) => (
            <li key={d} className={`rounded-lg border bg-white px-4 shadow-sm ${d === today ? 'border-indigo-300' : 'border-slate-200'}`}>
              <div className="flex items-center justify-between border-b border-slate-100 py-2">
                <h3 className="text-sm font-semibold text-slate-900 first-letter:uppercase">
                  {dayName(d)}
                  {d === today ? <span className="ml-2 text-xs font-medium normal-case text-indigo-700">{t('calendar.today')}</span> : null}
                </h3>
                <Link
                  to={`/tasks/new?date=${d}`}
                  className="rounded px-2 text-lg font-semibold text-indigo-800"
                  aria-label={t('calendar.addOn', { date: dayName(d) })}
                >
                  +
                </Link>
              </div>
              {(byDay[d] ?? []).length ? (
                <ul className="divide-y divide-slate-100">
                  {byDay[d].map((i) => (
                    <TaskRow key={i.id} item={i} redirectTo={redirectTo} commandId={commandIds[i.id] ?? ''} />
                  ))}
                </ul>
              ) : (
                <p className="py-2 text-xs text-slate-500">{t('calendar.nothing')}</p>
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}
