import { useT } from '~/i18n/use-t'
import { SelectField, TextAreaField, TextField } from './ui/field'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

type Option = { id: string; name: string }
export type TaskFieldOptions = { assignees: Option[]; organisations: Option[]; contacts: Option[]; deals: Option[] }

const PRIORITIES = ['urgente', 'haute', 'normale', 'basse'] as const
const FREQS = ['none', 'daily', 'weekly', 'monthly'] as const
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const

const pill =
  'inline-flex cursor-pointer items-center rounded-full bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 ' +
  'peer-checked:bg-indigo-700 peer-checked:text-white peer-checked:ring-indigo-700 peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600'

/**
 * The task form's fields: title, description, due date and time (Paris), priority,
 * assignee, linked records and the recurrence editor. Plain inputs: the form works
 * without JavaScript; CSS hides what the chosen repetition does not use.
 */
export function TaskFields({ values, errors, options }: { values: Record<string, string>; errors: Record<string, string>; options: TaskFieldOptions }) {
  const t = useT()
  const v = (k: string) => values[k] ?? ''
  const freq = FREQS.includes(v('recurrence') as (typeof FREQS)[number]) ? v('recurrence') : 'none'
  const days = v('recurrence_days').split(',').filter(Boolean)
  const end = ['never', 'until', 'count'].includes(v('recurrence_end')) ? v('recurrence_end') : 'never'
  return (
    <div className="space-y-6">
      <TextField
        name="title"
        label={t('task.title')}
        required
        defaultValue={v('title')}
        error={errors.title}
        hint={t('task.titleHint')}
        autoComplete="off"
        maxLength={200}
      />
      <TextAreaField
        name="description"
        maxLength={TEXT_LIMITS.description}
        label={t('task.description')}
        defaultValue={v('description')}
        error={errors.description}
        rows={3}
      />

      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="due_date" type="date" label={t('task.dueDate')} defaultValue={v('due_date')} error={errors.due_date} />
        <TextField name="due_time" type="time" label={t('task.dueTime')} defaultValue={v('due_time')} error={errors.due_time} hint={t('task.dueTimeHint')} />
        <SelectField name="priority" label={t('task.priority')} defaultValue={v('priority') || 'normale'} error={errors.priority}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`task.priority.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="assignee_id" label={t('task.assignee')} defaultValue={v('assignee_id')} error={errors.assignee_id}>
          <option value="">{t('task.assigneeNone')}</option>
          {options.assignees.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
      </div>

      <fieldset>
        <legend className="text-sm font-semibold text-slate-900">{t('task.links')}</legend>
        <p className="text-xs text-slate-600">{t('task.linksHint')}</p>
        <div className="mt-2 grid gap-4 sm:grid-cols-3">
          <SelectField name="organisation_id" label={t('task.organisation')} defaultValue={v('organisation_id')} error={errors.organisation_id}>
            <option value="">{t('task.none')}</option>
            {options.organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
          <SelectField name="contact_id" label={t('task.contact')} defaultValue={v('contact_id')} error={errors.contact_id}>
            <option value="">{t('task.noneMasc')}</option>
            {options.contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <SelectField name="deal_id" label={t('task.deal')} defaultValue={v('deal_id')} error={errors.deal_id}>
            <option value="">{t('task.none')}</option>
            {options.deals.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
        </div>
      </fieldset>

      <fieldset className="group rounded-lg border border-slate-200 p-4" aria-describedby={errors.recurrence ? 'recurrence-error' : undefined}>
        <legend className="px-1 text-sm font-semibold text-slate-900">{t('task.recurrence')}</legend>
        <div className="flex flex-wrap gap-2">
          {FREQS.map((f) => (
            <div key={f}>
              <input type="radio" id={`f-recurrence-${f}`} name="recurrence" value={f} defaultChecked={freq === f} className="peer sr-only" />
              <label htmlFor={`f-recurrence-${f}`} className={pill}>
                {t(`task.recurrence.${f}`)}
              </label>
            </div>
          ))}
        </div>
        {errors.recurrence ? (
          <p id="recurrence-error" className="mt-2 text-sm font-medium text-red-700">
            {errors.recurrence}
          </p>
        ) : null}

        {/* Hidden by CSS when "Aucune" is chosen; browsers without :has() show everything. */}
        <div className="mt-4 space-y-4 group-has-[#f-recurrence-none:checked]:hidden">
          <TextField
            name="recurrence_interval"
            label={t('task.recurrence.interval')}
            defaultValue={v('recurrence_interval') || '1'}
            error={errors.recurrence_interval}
            hint={t('task.recurrence.intervalHint')}
            inputMode="numeric"
            className="max-w-[12rem]"
            autoComplete="off"
          />

          <fieldset
            className="group-has-[#f-recurrence-daily:checked]:hidden group-has-[#f-recurrence-monthly:checked]:hidden"
            aria-describedby={errors.recurrence_days ? 'recurrence_days-error' : undefined}
          >
            <legend className="text-sm font-medium text-slate-800">{t('task.recurrence.days')}</legend>
            <div className="mt-1 flex flex-wrap gap-2">
              {DAYS.map((d) => (
                <div key={d}>
                  <input type="checkbox" id={`f-day-${d}`} name="recurrence_days" value={d} defaultChecked={days.includes(d)} className="peer sr-only" />
                  <label htmlFor={`f-day-${d}`} className={pill}>
                    <span aria-hidden="true">{t(`task.weekdayShort.${d}`)}</span>
                    <span className="sr-only">{t(`task.weekday.${d}`)}</span>
                  </label>
                </div>
              ))}
            </div>
            {errors.recurrence_days ? (
              <p id="recurrence_days-error" className="mt-1 text-sm font-medium text-red-700">
                {errors.recurrence_days}
              </p>
            ) : null}
          </fieldset>

          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t('task.recurrence.end')}</legend>
            <div className="mt-2 space-y-2 text-sm text-slate-800">
              <label className="flex items-center gap-2">
                <input type="radio" name="recurrence_end" value="never" defaultChecked={end === 'never'} className="h-4 w-4 accent-indigo-700" />
                {t('task.recurrence.never')}
              </label>
              <div className="flex flex-wrap items-center gap-2">
                <label className="flex items-center gap-2">
                  <input type="radio" name="recurrence_end" value="until" defaultChecked={end === 'until'} className="h-4 w-4 accent-indigo-700" />
                  {t('task.recurrence.until')}
                </label>
                <label htmlFor="f-recurrence_until" className="sr-only">
                  {t('task.recurrence.untilLabel')}
                </label>
                <input
                  id="f-recurrence_until"
                  name="recurrence_until"
                  type="date"
                  defaultValue={v('recurrence_until')}
                  aria-invalid={errors.recurrence_until ? true : undefined}
                  aria-describedby={errors.recurrence_until ? 'recurrence_until-error' : undefined}
                  className={`rounded-md border bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${errors.recurrence_until ? 'border-red-600' : 'border-slate-300'}`}
                />
              </div>
              {errors.recurrence_until ? (
                <p id="recurrence_until-error" className="text-sm font-medium text-red-700">
                  {errors.recurrence_until}
                </p>
              ) : null}
              <div className="flex flex-wrap items-center gap-2">
                <label className="flex items-center gap-2">
                  <input type="radio" name="recurrence_end" value="count" defaultChecked={end === 'count'} className="h-4 w-4 accent-indigo-700" />
                  {t('task.recurrence.count')}
                </label>
                <label htmlFor="f-recurrence_count" className="sr-only">
                  {t('task.recurrence.countLabel')}
                </label>
                <input
                  id="f-recurrence_count"
                  name="recurrence_count"
                  inputMode="numeric"
                  defaultValue={v('recurrence_count')}
                  autoComplete="off"
                  aria-invalid={errors.recurrence_count ? true : undefined}
                  aria-describedby={errors.recurrence_count ? 'recurrence_count-error' : undefined}
                  className={`w-20 rounded-md border bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${errors.recurrence_count ? 'border-red-600' : 'border-slate-300'}`}
                />
                <span aria-hidden="true">{t('task.recurrence.countSuffix')}</span>
              </div>
              {errors.recurrence_count ? (
                <p id="recurrence_count-error" className="text-sm font-medium text-red-700">
                  {errors.recurrence_count}
                </p>
              ) : null}
            </div>
          </fieldset>
        </div>
      </fieldset>
    </div>
  )
}
