import { useT } from '~/i18n/use-t'
import { OrganisationPicker } from './organisation-picker'
import { SelectField, TextField } from './ui/field'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

type Option = { id: string; name: string }
type Props = {
  values: Record<string, string>
  errors: Record<string, string>
  organisations: Option[]
  owners: Option[]
  /** Only when creating: a deal starts at an open stage, then moves with the stage form. */
  stages?: { code: string; label: string; pipeline?: string }[]
  /** Only when creating, and the workspace has several: the deal's pipeline (its stage must be one of it). */
  pipelines?: { id: string; name: string }[]
  /** The no-JS organisation search posts this form (see OrganisationPicker). */
  inFormSearch?: boolean
  orgQuery?: string
}

export function DealFields({ values, errors, organisations, owners, stages, pipelines, inFormSearch, orgQuery }: Props) {
  const t = useT()
  const v = (k: string) => values[k] ?? ''
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField
        name="title"
        maxLength={TEXT_LIMITS.title}
        label={t('deal.title')}
        required
        defaultValue={v('title')}
        error={errors.title}
        className="sm:col-span-2"
      />
      <OrganisationPicker
        label={t('deal.organisation')}
        required
        value={v('organisation_id')}
        error={errors.organisation_id}
        options={organisations}
        className="sm:col-span-2"
        inFormSearch={inFormSearch}
        query={orgQuery}
      />
      <TextField
        name="amount"
        label={t('deal.amount')}
        required
        defaultValue={v('amount')}
        error={errors.amount_cents}
        hint={t('deal.amountHint')}
        inputMode="decimal"
        autoComplete="off"
      />
      <TextField
        name="expected_close_date"
        type="date"
        label={t('deal.expectedClose')}
        defaultValue={v('expected_close_date')}
        error={errors.expected_close_date}
      />
      {pipelines?.length ? (
        <SelectField name="pipeline" label={t('deal.pipeline')} required defaultValue={v('pipeline')} error={errors.pipeline}>
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {stages ? (
        <SelectField name="stage" label={t('deal.stage')} required defaultValue={v('stage')} error={errors.stage}>
          {/* Grouped by pipeline when there are several: the stage names the pipeline too. */}
          {pipelines?.length
            ? pipelines.map((p) => (
                <optgroup key={p.id} label={p.name}>
                  {stages
                    .filter((s) => s.pipeline === p.id)
                    .map((s) => (
                      <option key={s.code} value={s.code}>
                        {s.label}
                      </option>
                    ))}
                </optgroup>
              ))
            : stages.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
        </SelectField>
      ) : null}
      <SelectField name="owner_id" label={t('deal.owner')} defaultValue={v('owner_id')} error={errors.owner_id}>
        <option value="">{t('common.unassigned')}</option>
        {owners.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
    </div>
  )
}
