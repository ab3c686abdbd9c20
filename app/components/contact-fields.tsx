import type { HTMLAttributes } from 'react'
import { useT } from '~/i18n/use-t'
import { OrganisationPicker } from './organisation-picker'
import { CheckboxField } from './ui/checkbox-field'
import { SelectField, TextAreaField, TextField } from './ui/field'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

export const CIVILITIES = ['M.', 'Mme'] as const
const MAX_REPEATED = 6

type Option = { id: string; name: string }
type Props = {
  values: Record<string, string>
  errors: Record<string, string>
  organisations: Option[]
  owners: Option[]
  /** The no-JS organisation search posts this form (see OrganisationPicker). */
  inFormSearch?: boolean
  orgQuery?: string
}

const legend = 'mb-2 text-sm font-semibold text-slate-900'

/** The contact form's fields, grouped; the route wraps them in its <Form>. */
export function ContactFields({ values, errors, organisations, owners, inFormSearch, orgQuery }: Props) {
  const t = useT()
  const v = (k: string) => values[k] ?? ''
  return (
    <div className="space-y-8">
      <fieldset className="grid gap-4 sm:grid-cols-6">
        <legend className={legend}>{t('contact.identity')}</legend>
        <SelectField name="civility" label={t('contact.civility')} defaultValue={v('civility')} error={errors.civility} className="sm:col-span-2">
          <option value="">{t('common.none')}</option>
          {CIVILITIES.map((c) => (
            <option key={c} value={c}>
              {t(`contact.civility.${c}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          name="first_name"
          maxLength={TEXT_LIMITS.name}
          label={t('contact.firstName')}
          required
          defaultValue={v('first_name')}
          error={errors.first_name}
          autoComplete="off"
          className="sm:col-span-2"
        />
        <TextField
          name="last_name"
          maxLength={TEXT_LIMITS.name}
          label={t('contact.lastName')}
          required
          defaultValue={v('last_name')}
          error={errors.last_name}
          autoComplete="off"
          className="sm:col-span-2"
        />
        <TextField
          name="job_title"
          maxLength={TEXT_LIMITS.label}
          label={t('contact.jobTitle')}
          defaultValue={v('job_title')}
          error={errors.job_title}
          hint={t('contact.jobTitleHint')}
          autoComplete="off"
          className="sm:col-span-6"
        />
      </fieldset>

      {/* Several addresses and numbers without JavaScript: one input each, plus an empty one. */}
      <div className="grid gap-6 sm:grid-cols-2">
        <RepeatedField
          name="emails"
          legend={t('contact.emails')}
          itemLabel={(n) => t('contact.emailN', { n })}
          values={v('emails')}
          error={errors.emails}
          hint={t('contact.repeatedHint')}
          input={{ type: 'email', maxLength: TEXT_LIMITS.email, inputMode: 'email', autoComplete: 'off', spellCheck: false, autoCapitalize: 'none' }}
        />
        <RepeatedField
          name="phones"
          legend={t('contact.phones')}
          itemLabel={(n) => t('contact.phoneN', { n })}
          values={v('phones')}
          error={errors.phones}
          hint={t('contact.phonesHint')}
          input={{ type: 'tel', maxLength: TEXT_LIMITS.phone, inputMode: 'tel', autoComplete: 'off' }}
        />
      </div>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className={legend}>{t('contact.attachment')}</legend>
        {/* Among thousands: a combobox with JavaScript, a select plus a search without (posting this form with inFormSearch, else a GET: render <OrganisationSearchForm/> after the form). */}
        <OrganisationPicker
          label={t('contact.organisation')}
          value={v('organisation_id')}
          error={errors.organisation_id}
          options={organisations}
          inFormSearch={inFormSearch}
          query={orgQuery}
        />
        <SelectField name="owner_id" label={t('contact.owner')} defaultValue={v('owner_id')} error={errors.owner_id}>
          <option value="">{t('common.unassigned')}</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <CheckboxField
          name="shared"
          label={t('contact.shared')}
          hint={t('contact.sharedHint')}
          defaultChecked={v('shared') === 'on'}
          error={errors.shared}
          className="sm:col-span-2"
        />
      </fieldset>

      <fieldset className="grid gap-4 rounded-lg border border-slate-200 bg-slate-50 p-4 sm:grid-cols-2">
        <legend className="px-1 text-sm font-semibold text-slate-900">{t('contact.gdpr')}</legend>
        <p className="text-xs text-slate-600 sm:col-span-2">{t('contact.gdprHint')}</p>
        <CheckboxField
          name="gdpr_consent"
          label={t('contact.consent')}
          defaultChecked={v('gdpr_consent') === 'on'}
          error={errors.gdpr_consent}
          className="sm:col-span-2"
        />
        <TextField
          name="consent_source"
          label={t('contact.consentSource')}
          defaultValue={v('consent_source')}
          error={errors.consent_source}
          hint={t('contact.consentSourceHint')}
          autoComplete="off"
        />
        <TextField
          name="consent_date"
          type="date"
          label={t('contact.consentDate')}
          defaultValue={v('consent_date')}
          error={errors.consent_date}
          hint={t('contact.consentDateHint')}
        />
        <CheckboxField
          name="marketing_opt_out"
          label={t('contact.optOut')}
          hint={t('contact.optOutHint')}
          defaultChecked={v('marketing_opt_out') === 'on'}
          error={errors.marketing_opt_out}
          className="sm:col-span-2"
        />
      </fieldset>
      <fieldset className="grid gap-4">
        <legend className="mb-2 text-sm font-semibold text-slate-900">{t('org.tagsNotes')}</legend>
        <TextField name="tags" label={t('record.tags')} hint={t('record.tagsHint')} defaultValue={v('tags')} error={errors.tags} autoComplete="off" />
        <TextAreaField name="notes" label={t('record.notes')} defaultValue={v('notes')} error={errors.notes} rows={4} />
      </fieldset>
    </div>
  )
}

type InputProps = {
  type: string
  inputMode: HTMLAttributes<HTMLInputElement>['inputMode']
  autoComplete: string
  spellCheck?: boolean
  maxLength?: number
  autoCapitalize?: string
}

/** One labelled input per value, plus an empty one to add another; the error sits below the group. */
function RepeatedField({
  name,
  legend: title,
  itemLabel,
  values,
  error,
  hint,
  input,
}: {
  name: string
  legend: string
  itemLabel: (n: number) => string
  values: string
  error?: string
  hint?: string
  input: InputProps
}) {
  const list = values
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
  const count = Math.min(Math.max(list.length + 1, 2), Math.max(MAX_REPEATED, list.length))
  // The domain names the bad value ("Adresse e-mail invalide : x"): mark that input.
  const bad = (value: string | undefined) => !!error && !!value && error.endsWith(value)
  const markAll = !!error && !list.some(bad)
  const describedBy = [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ') || undefined
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800">{title}</legend>
      {hint ? (
        <p id={`${name}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <div className="mt-1 space-y-2">
        {Array.from({ length: count }, (_, i) => {
          const invalid = bad(list[i]) || (markAll && i < Math.max(list.length, 1))
          return (
            <div key={i}>
              <label htmlFor={`f-${name}-${i}`} className="sr-only">
                {itemLabel(i + 1)}
              </label>
              <input
                id={`f-${name}-${i}`}
                name={name}
                defaultValue={list[i] ?? ''}
                aria-invalid={invalid ? true : undefined}
                aria-describedby={describedBy}
                className={`block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${invalid ? 'border-red-600' : 'border-slate-300'}`}
                {...input}
              />
            </div>
          )
        })}
      </div>
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}
