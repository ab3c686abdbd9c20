import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { formatGoalPeriod } from '~/components/dashboard/figures'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { SelectField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { removeGoalCommand, setGoalCommand } from '../../domain/dashboards/dashboards.commands'
import { canSetGoal } from '../../domain/dashboards/goal.decide'
import { GOAL_SCOPES, PERIOD_PATTERN } from '../../domain/dashboards/goal'
import { parisDay } from '../../domain/shared/paris-time'
import { canSetGoals } from '../../domain/identity/roles'
import { forbidden, requireUser, requireUserForm, type Auth } from '~/utils/auth.server'
import { formatEuros } from '~/utils/format'
import { field, parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, isUuid, text, type FormFailure } from '~/utils/forms.server'
import { parseEurosToCents } from '../../domain/shared/money'
import { needsTeamWord } from '~/utils/team-label'

export const meta: MetaFunction = () => [{ title: 'Objectifs — Alforis CRM' }]

// The goal form: "cible" is "user:<id>" or "team:<id>", the amount in euros as French users type it.
const goalFormSchema = z.object({
  cible: field.text().transform((v, ctx) => {
    const [scope, scopeId] = v.split(':')
    const s = GOAL_SCOPES.find((x) => x === scope)
    if (s && isUuid(scopeId)) return { scope: s, scopeId }
    ctx.addIssue({ code: 'custom', message: 'goals.chooseUserOrTeam' })
    return z.NEVER
  }),
  periode: field.text().refine((v) => PERIOD_PATTERN.test(v), { message: 'goals.periodInvalid' }),
  objectif: field.text().transform((v, ctx) => {
    const amount = parseEurosToCents(v)
    if (amount.ok) return amount.cents
    ctx.addIssue({ code: 'custom', message: `amount.${amount.error}` })
    return z.NEVER
  }),
})

/** The teams and people this actor may set goals for. */
async function targets(auth: Auth) {
  const [teams, users] = await Promise.all([
    auth.tenant.selectFrom('teams').select(['teams.id', 'teams.name']).orderBy('teams.name').execute(),
    auth.tenant
      .selectFrom('users')
      .select(['users.id', 'users.full_name as name', 'users.team_id'])
      .where('users.active', '=', true)
      .where('users.role', '!=', 'finance')
      .orderBy('users.full_name')
      .execute(),
  ])
  return {
    teams: teams.filter((t) => canSetGoal(auth.actor, { scope: 'team', scopeId: t.id })),
    users: users.filter((u) => canSetGoal(auth.actor, { scope: 'user', scopeId: u.id, teamIdOfUser: u.team_id })),
  }
}

/** The periods offered: this year's and next year's quarters, and months from three back to twelve ahead. */
function periodChoices(today: string) {
  const [y, m] = today.split('-').map(Number)
  const quarters = [y, y + 1].flatMap((yy) => [1, 2, 3, 4].map((q) => `${yy}-Q${q}`))
  const months = Array.from({ length: 16 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - 3 + i, 1))
    return d.toISOString().slice(0, 7)
  })
  return { quarters, months, current: `${y}-${String(m).padStart(2, '0')}` }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canSetGoals(auth.actor)) throw forbidden()
  const { teams, users } = await targets(auth)
  const teamIds = new Set(teams.map((t) => t.id))
  const userIds = new Set(users.map((u) => u.id))
  const names = new Map([...teams.map((t) => [t.id, t.name] as const), ...users.map((u) => [u.id, u.name] as const)])
  const rows = await auth.tenant
    .selectFrom('goals')
    .select(['goals.id', 'goals.scope', 'goals.scope_id', 'goals.period', 'goals.target_cents', 'goals.version'])
    .where('goals.removed_at', 'is', null)
    .orderBy('goals.period', 'desc')
    .execute()
  const goals = rows
    .filter((g) => (g.scope === 'team' ? teamIds.has(g.scope_id) : userIds.has(g.scope_id)))
    .map((g) => ({ ...g, target_cents: Number(g.target_cents), name: names.get(g.scope_id) ?? '—' }))
    .sort(
      (a, b) =>
        b.period.slice(0, 4).localeCompare(a.period.slice(0, 4)) ||
        (a.scope === b.scope ? 0 : a.scope === 'team' ? -1 : 1) ||
        a.name.localeCompare(b.name, 'fr') ||
        a.period.localeCompare(b.period),
    )
  return { teams, users, goals, periods: periodChoices(parisDay(context.runtime.now())), commandId: randomUUID() }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canSetGoals(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const ctx = auth.ctx(commandIdOf(form))
  const db = context.runtime.db

  if (form.get('intent') === 'remove') {
    const id = text(form, 'goalId')
    if (!isUuid(id)) return failure(values, {}, 400, auth.t('errors.generic'))
    try {
      await removeGoalCommand(db, ctx, auth.actor, { id, expectedVersion: Number(form.get('version')) || undefined })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect('/goals?supprime=1')
  }

  const parsed = parseForm(form, goalFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 400)
  const {
    cible: { scope, scopeId },
    periode: period,
    objectif: targetCents,
  } = parsed.value
  try {
    await setGoalCommand(db, ctx, auth.actor, { scope, scopeId, period, targetCents })
  } catch (e) {
    // The domain names its fields after the command (scope_id, target): the form's are cible, objectif.
    const mapped = (err: unknown) => {
      const fe = (err as { fieldErrors?: Record<string, string> }).fieldErrors
      if (fe)
        for (const [from, to] of [
          ['scope_id', 'cible'],
          ['scope', 'cible'],
          ['target', 'objectif'],
          ['period', 'periode'],
        ])
          if (fe[from]) {
            fe[to] = fe[from]
            delete fe[from]
          }
      return err
    }
    return domainFailure(mapped(e), values, auth)
  }
  throw redirect('/goals?enregistre=1')
}

export default function Goals() {
  const { teams, users, goals, periods, commandId } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const values = failed?.values.intent !== 'remove' ? (failed?.values ?? {}) : {}
  const quarterLabel = (p: string) => t('goals.quarterValue', { q: p.slice(-1), year: p.slice(0, 4) })
  return (
    <>
      <PageHeader title={t('goals.title')} subtitle={t('goals.subtitle')} />
      {search.get('enregistre') && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{t('goals.saved')}</Alert>
        </div>
      ) : null}
      {search.get('supprime') && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{t('goals.removed')}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-5">
        <Card title={t('goals.set')} className="self-start lg:col-span-2">
          <Form method="post" noValidate className="space-y-4">
            <AuthenticityTokenInput />
            <input type="hidden" name="intent" value="set" />
            <input type="hidden" name="commandId" value={commandId} />
            {failed && failed.values.intent !== 'remove' ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
            <SelectField name="cible" label={t('goals.scope')} required defaultValue={values.cible ?? ''} error={failed?.errors.cible}>
              <option value="" disabled>
                {t('goals.choose')}
              </option>
              {teams.length ? (
                <optgroup label={t('goals.scopeTeam')}>
                  {teams.map((team) => (
                    <option key={team.id} value={`team:${team.id}`}>
                      {team.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              <optgroup label={t('goals.scopeUser')}>
                {users.map((u) => (
                  <option key={u.id} value={`user:${u.id}`}>
                    {u.name}
                  </option>
                ))}
              </optgroup>
            </SelectField>
            <SelectField name="periode" label={t('dash.goals.period')} required defaultValue={values.periode ?? periods.current} error={failed?.errors.periode}>
              <optgroup label={t('goals.month')}>
                {periods.months.map((p) => (
                  <option key={p} value={p}>
                    {formatGoalPeriod(p)}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('goals.quarter')}>
                {periods.quarters.map((p) => (
                  <option key={p} value={p}>
                    {quarterLabel(p)}
                  </option>
                ))}
              </optgroup>
            </SelectField>
            <TextField
              name="objectif"
              label={t('goals.target')}
              hint={t('goals.targetHint')}
              required
              inputMode="decimal"
              autoComplete="off"
              defaultValue={values.objectif ?? ''}
              error={failed?.errors.objectif}
            />
            <p className="text-xs text-slate-600">{t('goals.setHint')}</p>
            <Button disabled={navigation.state === 'submitting'}>{t('goals.save')}</Button>
          </Form>
        </Card>
        <Card title={t('goals.list')} className="self-start lg:col-span-3">
          {goals.length === 0 ? (
            <p className="text-sm text-slate-600">{t('goals.empty')}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <thead>
                  <tr className="border-b border-slate-200 text-left text-slate-700">
                    <th scope="col" className="py-2 pr-2 font-semibold">
                      {t('dash.goals.who')}
                    </th>
                    <th scope="col" className="py-2 pr-2 font-semibold">
                      {t('dash.goals.period')}
                    </th>
                    <th scope="col" className="py-2 pr-2 text-right font-semibold">
                      {t('dash.goals.target')}
                    </th>
                    <th scope="col" className="py-2 text-right font-semibold">
                      <span className="sr-only">{t('goals.remove')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {goals.map((g) => (
                    <tr key={g.id} className="border-b border-slate-100">
                      <th scope="row" className="py-2 pr-2 text-left font-medium text-slate-900">
                        {g.scope === 'team' && needsTeamWord(g.name, t('dash.goals.team')) ? (
                          <span className="mr-1.5">
                            <Badge tone="indigo">{t('dash.goals.team')}</Badge>
                          </span>
                        ) : null}
                        {g.name}
                      </th>
                      <td className="whitespace-nowrap py-2 pr-2">{/Q/.test(g.period) ? quarterLabel(g.period) : formatGoalPeriod(g.period)}</td>
                      <td className="whitespace-nowrap py-2 pr-2 text-right tabular-nums">{formatEuros(g.target_cents, { rounded: true })}</td>
                      <td className="py-2 text-right">
                        <Form method="post">
                          <AuthenticityTokenInput />
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="goalId" value={g.id} />
                          <input type="hidden" name="version" value={g.version} />
                          <button
                            type="submit"
                            aria-label={t('goals.removeNamed', { name: g.name, period: formatGoalPeriod(g.period) })}
                            className="rounded-md px-2 py-1 text-xs font-medium text-red-800 ring-1 ring-inset ring-red-200 hover:bg-red-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                          >
                            {t('goals.remove')}
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  )
}
