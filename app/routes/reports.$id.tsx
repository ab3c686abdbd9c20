import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useActionData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { ReportFigure } from '~/components/reports/report-figure'
import { formatValue } from '~/components/reports/report-format'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { SelectField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { CHART_KINDS, DIMENSIONS, METRICS, type MetricKey } from '../../domain/reports/report-spec'
import { deleteReport, isSharing, loadReport, mayEditReport, saveReport } from '../../domain/reports/report.repository'
import { notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { isUuid, text } from '~/utils/forms.server'
import { defaultSpec, reportView, specFromUrl, specToSearch, todayOf } from '~/utils/reports.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.name ?? 'Rapport'} — Alforis CRM` }]

// /reports/nouveau and /reports/:id — the builder is a GET form: "Afficher" reloads the page
// with the spec in the URL (so a report is a link, and works without JavaScript); saving
// posts the same fields with a name and who it is shared with.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const today = todayOf(auth)
  const id = params.id ?? ''
  const saved = id === 'nouveau' ? null : isUuid(id) ? await loadReport(context.runtime.db, auth.actor, id) : null
  if (id !== 'nouveau' && !saved) throw notFound()
  const spec = specFromUrl(url, today, saved?.spec ?? defaultSpec(today))
  const view = await reportView(context.runtime, auth, spec)
  return {
    id: saved?.id ?? null,
    name: saved?.name ?? '',
    sharing: saved?.sharing ?? 'prive',
    owner: saved && !mayEditReport(auth.actor, saved) ? saved.ownerName : null,
    canShareWithTeam: !!auth.actor.teamId,
    search: specToSearch(view.spec),
    saved: url.searchParams.get('enregistre') === '1',
    view,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const f = auth.form
  const id = isUuid(params.id ?? '') ? params.id! : undefined
  const now = auth.now()
  if (f.get('intent') === 'supprimer') {
    if (!id || !(await deleteReport(context.runtime.db, auth.actor, id, now))) throw notFound()
    return redirect('/reports?supprime=1')
  }
  const name = text(f, 'nom')
  if (!name) return { error: auth.t('report.nameRequired') }
  // The spec comes from the same fields as the GET form, read through the same whitelists.
  const url = new URL(request.url)
  for (const [k, v] of f.entries()) if (typeof v === 'string' && !['csrf', 'nom', 'partage', 'intent'].includes(k)) url.searchParams.append(k, v)
  const spec = specFromUrl(url, todayOf(auth))
  const sharing = isSharing(f.get('partage')) ? (f.get('partage') as 'prive' | 'equipe' | 'espace') : 'prive'
  const asNew = f.get('intent') === 'nouveau'
  const saved = await saveReport(context.runtime.db, auth.actor, { id: asNew ? undefined : id, name: name.slice(0, 200), sharing, spec }, now)
  if (!saved) throw notFound()
  return redirect(`/reports/${saved}?enregistre=1`)
}

export default function ReportPage() {
  const { id, name, sharing, owner, canShareWithTeam, search, saved, view } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  const { spec, errors, rows, previous } = view
  const title = name || t('report.new')
  const chartRows = (rows ?? []).map((r) => ({
    label: r.labels.join(' · ') || t('report.total'),
    ...Object.fromEntries(view.metrics.map((m) => [m.label, r.values[m.key] ?? 0])),
  }))
  return (
    <>
      <PageHeader
        title={title}
        actions={
          <>
            <LinkButton variant="secondary" to="/reports">
              {t('report.list')}
            </LinkButton>
            {rows ? (
              <>
                <LinkButton variant="secondary" to={`/reports/${id ?? 'nouveau'}/export?${search}&format=csv`} reloadDocument>
                  {t('report.export.csv')}
                </LinkButton>
                <LinkButton variant="secondary" to={`/reports/${id ?? 'nouveau'}/export?${search}&format=xlsx`} reloadDocument>
                  {t('report.export.xlsx')}
                </LinkButton>
              </>
            ) : null}
          </>
        }
      />
      <div className="space-y-6">
        {saved ? <Alert tone="success">{t('report.saved')}</Alert> : null}
        {owner ? <Alert>{t('report.readOnly', { owner })}</Alert> : null}
        <Card title={t('report.display')}>
          <Form method="get" className="grid gap-4 md:grid-cols-2 lg:grid-cols-3">
            <fieldset className="md:col-span-2 lg:col-span-3" aria-describedby={errors.metrics ? 'f-indicateur-error' : undefined}>
              <legend className="text-sm font-medium text-slate-800">{t('report.metrics')}</legend>
              <div className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
                {(Object.keys(METRICS) as MetricKey[]).map((m) => (
                  <label key={m} className="flex items-center gap-2 text-sm text-slate-800">
                    <input type="checkbox" name="indicateur" value={m} defaultChecked={spec.metrics.includes(m)} className="h-4 w-4" />
                    {t(`report.metric.${m}` as MessageKey)}
                  </label>
                ))}
              </div>
              {errors.metrics ? (
                <p id="f-indicateur-error" className="mt-1 text-sm text-red-700">
                  {errors.metrics}
                </p>
              ) : null}
            </fieldset>
            {(['par1', 'par2'] as const).map((field, i) => (
              <SelectField
                key={field}
                name={field}
                label={t(i === 0 ? 'report.groupBy' : 'report.groupBy2')}
                defaultValue={spec.dimensions[i] ?? ''}
                error={i === 0 ? errors.dimensions : undefined}
              >
                <option value="">{t('report.none.option')}</option>
                {Object.keys(DIMENSIONS).map((d) => (
                  <option key={d} value={d}>
                    {t(`report.dimension.${d}` as MessageKey)}
                  </option>
                ))}
              </SelectField>
            ))}
            <SelectField name="graphique" label={t('report.chart')} defaultValue={spec.chart}>
              {CHART_KINDS.map((c) => (
                <option key={c} value={c}>
                  {t(`report.chart.${c}` as MessageKey)}
                </option>
              ))}
            </SelectField>
            <TextField name="du" type="date" label={t('report.from')} defaultValue={spec.from} error={errors.from} />
            <TextField name="au" type="date" label={t('report.to')} defaultValue={spec.to} error={errors.to} />
            <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-800">
              <input type="checkbox" name="comparer" value="1" defaultChecked={spec.compare} className="h-4 w-4" />
              {t('report.compare')}
            </label>
            {view.choices.teams.length ? (
              <SelectField name="equipe" label={t('report.team')} defaultValue={spec.teamId ?? ''}>
                <option value="">{t('report.all')}</option>
                {view.choices.teams.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </SelectField>
            ) : null}
            {view.choices.owners.length > 1 ? (
              <SelectField name="responsable" label={t('report.ownerFilter')} defaultValue={spec.ownerId ?? ''}>
                <option value="">{t('report.all')}</option>
                {view.choices.owners.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </SelectField>
            ) : null}
            <SelectField name="categorie" label={t('report.category')} defaultValue={spec.category ?? ''}>
              <option value="">{t('report.all')}</option>
              {view.choices.categories.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </SelectField>
            <SelectField name="region" label={t('report.region')} defaultValue={spec.region ?? ''}>
              <option value="">{t('report.all')}</option>
              {view.choices.regions.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </SelectField>
            <SelectField name="tri" label={t('report.sortBy')} defaultValue={spec.sortBy ?? ''} error={errors.sortBy}>
              <option value="">{t('report.sortByDimension')}</option>
              {(Object.keys(METRICS) as MetricKey[]).map((m) => (
                <option key={m} value={m}>
                  {t(`report.metric.${m}` as MessageKey)}
                </option>
              ))}
            </SelectField>
            <TextField
              name="top"
              inputMode="numeric"
              label={t('report.top')}
              defaultValue={spec.top && spec.top > 0 ? String(spec.top) : ''}
              error={errors.top}
            />
            <div className="flex items-end md:col-span-2 lg:col-span-3">
              <Button type="submit">{t('report.show')}</Button>
            </div>
          </Form>
        </Card>

        <Card title={t('report.results')}>
          {view.hasOpenPipeline ? <p className="mb-3 text-sm text-slate-600">{t('report.openPipelineNote')}</p> : null}
          {rows === null ? null : rows.length === 0 ? (
            <p className="text-sm text-slate-700">{t('report.noRows')}</p>
          ) : (
            <>
              <ReportFigure kind={spec.chart} rows={chartRows} metrics={view.metrics} caption={title} />
              {/* Focusable and named: a table wider than a phone scrolls with the keyboard too. */}
              {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard (axe scrollable-region-focusable) */}
              <div className="mt-4 overflow-x-auto" tabIndex={0} role="region" aria-label={title}>
                <table className="min-w-full text-sm">
                  <caption className="sr-only">{title}</caption>
                  <thead>
                    <tr className="border-b border-slate-200 text-left text-slate-700">
                      {view.dimensions.map((d) => (
                        <th key={d.key} scope="col" className="py-2 pr-4 font-semibold">
                          {d.label}
                        </th>
                      ))}
                      {view.metrics.map((m) => (
                        <th key={m.key} scope="col" className="py-2 pr-4 text-right font-semibold">
                          {m.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={i} className="border-b border-slate-100">
                        {view.dimensions.map((d, j) => (
                          <th key={d.key} scope="row" className="py-2 pr-4 text-left font-normal text-slate-900">
                            {r.labels[j]}
                          </th>
                        ))}
                        {view.metrics.map((m) => (
                          <td key={m.key} className="py-2 pr-4 text-right tabular-nums text-slate-900">
                            {formatValue(m.unit, r.values[m.key])}
                            {previous && !view.dimensions.length ? (
                              <span className="block text-xs text-slate-600">
                                {t('report.previous')} : {formatValue(m.unit, previous[0]?.values[m.key])}
                              </span>
                            ) : null}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Card>

        {owner ? null : (
          <Card title={t('report.save')}>
            <Form method="post" className="grid gap-4 md:grid-cols-3">
              <AuthenticityTokenInput />
              {[...new URLSearchParams(search).entries()].map(([k, v], i) => (
                <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
              ))}
              <TextField name="nom" label={t('report.name')} defaultValue={name} required maxLength={200} error={actionData?.error} />
              <SelectField name="partage" label={t('report.sharing')} defaultValue={sharing}>
                <option value="prive">{t('report.sharing.prive')}</option>
                {canShareWithTeam ? <option value="equipe">{t('report.sharing.equipe')}</option> : null}
                <option value="espace">{t('report.sharing.espace')}</option>
              </SelectField>
              <div className="flex flex-wrap items-end gap-2">
                <Button type="submit" name="intent" value="enregistrer">
                  {t('report.save')}
                </Button>
                {id ? (
                  <>
                    <Button type="submit" name="intent" value="nouveau" variant="secondary">
                      {t('report.saveAs')}
                    </Button>
                    <Button type="submit" name="intent" value="supprimer" variant="danger" formNoValidate>
                      {t('report.delete')}
                    </Button>
                  </>
                ) : null}
              </div>
            </Form>
          </Card>
        )}
        <p className="text-sm">
          <Link className="text-indigo-700 underline" to="/reports">
            {t('report.list')}
          </Link>
        </p>
      </div>
    </>
  )
}
