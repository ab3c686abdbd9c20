import { Form } from '@remix-run/react'
import { useState } from 'react'
import { PERIOD_PRESETS, type PeriodPreset } from '../../../domain/dashboards/period'
import { useT } from '~/i18n/use-t'
import type { FilterView, Option } from '~/utils/dashboard.server'
import { useHydrated } from './client-only'

const control =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'

/**
 * Period, team and rep, as a GET form: the filter lives in the URL (bookmarkable,
 * shared, exported as is) and works without JavaScript. The custom dates show when
 * "Période personnalisée" is chosen (always, without JavaScript).
 */
export function DashboardFilters({
  view,
  options,
  editing,
}: {
  view: FilterView
  options: { teams: Option[]; owners: Option[]; canPickTeam: boolean; canPickOwner: boolean; pipelines?: Option[] }
  editing: boolean
}) {
  const t = useT()
  const hydrated = useHydrated()
  const [preset, setPreset] = useState<PeriodPreset>(view.preset)
  const showDates = !hydrated || preset === 'personnalisee'
  return (
    <Form
      method="get"
      action="/"
      aria-label={t('dash.filters')}
      key={`${view.preset}-${view.from}-${view.to}-${view.teamId}-${view.ownerId}-${view.pipelineId}`}
      className="mb-6 grid grid-cols-2 items-end gap-2 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:flex sm:flex-wrap sm:gap-3 sm:p-4"
    >
      {editing ? <input type="hidden" name="personnaliser" value="1" /> : null}
      <div className="col-span-2 sm:w-48">
        <label htmlFor="f-periode" className="block text-xs font-medium text-slate-700">
          {t('dash.filter.period')}
        </label>
        <select id="f-periode" name="periode" value={preset} onChange={(e) => setPreset(e.target.value as PeriodPreset)} className={control}>
          {PERIOD_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`dash.period.${p}`)}
            </option>
          ))}
        </select>
      </div>
      {showDates ? (
        <fieldset className="col-span-2 flex gap-2 sm:w-auto" aria-describedby={hydrated ? undefined : 'f-dates-hint'}>
          <legend className="sr-only">{t('dash.period.personnalisee')}</legend>
          <div className="flex-1 sm:w-40">
            <label htmlFor="f-du" className="block text-xs font-medium text-slate-700">
              {t('dash.filter.from')}
            </label>
            <input id="f-du" type="date" name="du" defaultValue={view.preset === 'personnalisee' ? view.from : ''} className={control} />
          </div>
          <div className="flex-1 sm:w-40">
            <label htmlFor="f-au" className="block text-xs font-medium text-slate-700">
              {t('dash.filter.to')}
            </label>
            <input id="f-au" type="date" name="au" defaultValue={view.preset === 'personnalisee' ? view.to : ''} className={control} />
          </div>
          {hydrated ? null : (
            <p id="f-dates-hint" className="sr-only">
              {t('dash.filter.customHint')}
            </p>
          )}
        </fieldset>
      ) : null}
      {options.pipelines?.length ? (
        <div className="col-span-2 min-w-0 sm:w-52">
          <label htmlFor="f-pipeline" className="block text-xs font-medium text-slate-700">
            {t('pipelines.select')}
          </label>
          <select id="f-pipeline" name="pipeline" defaultValue={view.pipelineId} className={control}>
            <option value="">{t('pipelines.all')}</option>
            {options.pipelines.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {options.canPickTeam ? (
        <div className={`min-w-0 sm:w-48 ${options.canPickOwner ? '' : 'col-span-2'}`}>
          <label htmlFor="f-equipe" className="block text-xs font-medium text-slate-700">
            {t('dash.filter.team')}
          </label>
          <select id="f-equipe" name="equipe" defaultValue={view.teamId} className={control}>
            <option value="">{t('dash.filter.allTeams')}</option>
            {options.teams.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {options.canPickOwner ? (
        <div className={`min-w-0 sm:w-52 ${options.canPickTeam ? '' : 'col-span-2'}`}>
          <label htmlFor="f-responsable" className="block text-xs font-medium text-slate-700">
            {t('dash.filter.owner')}
          </label>
          <select id="f-responsable" name="responsable" defaultValue={view.ownerId} className={control}>
            <option value="">{t('dash.filter.allOwners')}</option>
            {options.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button
        type="submit"
        className="col-span-2 inline-flex w-full items-center justify-center rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 sm:w-auto"
      >
        {t('dash.filter.apply')}
      </button>
    </Form>
  )
}
