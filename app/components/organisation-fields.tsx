import { useT } from '~/i18n/use-t'
import { SelectField, TextAreaField, TextField } from './ui/field'

import { ORGANISATION_STATUSES } from '../../domain/crm/organisation'
import { TEXT_LIMITS } from '../../domain/shared/user-text'
export const ORGANISATION_SIZES = ['TPE', 'PME', 'ETI', 'GE'] as const

type Props = {
  values: Record<string, string>
  errors: Record<string, string>
  owners: { id: string; name: string }[]
}

/** The organisation form's fields, grouped; the route wraps them in its <Form>. */
export function OrganisationFields({ values, errors, owners }: Props) {
  const t = useT()
  const v = (k: string) => values[k] ?? ''
  const sizeKnown = (ORGANISATION_SIZES as readonly string[]).includes(v('size'))
  return (
    <div className="space-y-6">
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">{t('org.identity')}</legend>
        <TextField
          name="name"
          maxLength={TEXT_LIMITS.name}
          label={t('org.name')}
          required
          defaultValue={v('name')}
          error={errors.name}
          autoComplete="organization"
          className="sm:col-span-2"
        />
        <TextField
          name="siren"
          label={t('org.siren')}
          defaultValue={v('siren')}
          error={errors.siren}
          hint={t('org.sirenHint')}
          inputMode="numeric"
          autoComplete="off"
        />
        <TextField
          name="siret"
          label={t('org.siret')}
          defaultValue={v('siret')}
          error={errors.siret}
          hint={t('org.siretHint')}
          inputMode="numeric"
          autoComplete="off"
        />
        <TextField
          name="vat_number"
          label={t('org.vat')}
          defaultValue={v('vat_number')}
          error={errors.vat_number}
          hint={t('org.vatHint')}
          autoComplete="off"
          className="sm:col-span-2"
        />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold text-slate-900">{t('org.location')}</legend>
        <TextField
          name="address"
          maxLength={TEXT_LIMITS.address}
          label={t('org.address')}
          defaultValue={v('address')}
          error={errors.address}
          autoComplete="street-address"
          className="sm:col-span-3"
        />
        <TextField
          name="postal_code"
          label={t('org.postalCode')}
          defaultValue={v('postal_code')}
          error={errors.postal_code}
          inputMode="numeric"
          autoComplete="postal-code"
        />
        <TextField
          name="city"
          maxLength={TEXT_LIMITS.city}
          label={t('org.city')}
          defaultValue={v('city')}
          error={errors.city}
          autoComplete="address-level2"
          className="sm:col-span-2"
        />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold text-slate-900">{t('org.contactPoints')}</legend>
        <TextField name="phone" type="tel" label={t('org.phone')} defaultValue={v('phone')} error={errors.phone} autoComplete="tel" />
        <TextField
          name="email"
          type="email"
          label={t('org.email')}
          hint={t('org.emailHint')}
          defaultValue={v('email')}
          error={errors.email}
          autoComplete="email"
        />
        <TextField name="website" maxLength={TEXT_LIMITS.url} label={t('org.website')} defaultValue={v('website')} error={errors.website} autoComplete="url" />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">{t('org.qualification')}</legend>
        <TextField name="sector" label={t('org.sector')} defaultValue={v('sector')} error={errors.sector} />
        <SelectField name="size" label={t('org.size')} defaultValue={v('size')} error={errors.size}>
          <option value="">{t('common.none')}</option>
          {ORGANISATION_SIZES.map((s) => (
            <option key={s} value={s}>
              {t(`org.size.${s}`)}
            </option>
          ))}
          {/* A size imported from elsewhere stays selectable rather than silently dropped. */}
          {v('size') && !sizeKnown ? <option value={v('size')}>{v('size')}</option> : null}
        </SelectField>
        <SelectField
          name="status"
          label={t('org.status')}
          hint={t('org.statusManualHint')}
          required
          defaultValue={v('status') || 'prospect'}
          error={errors.status}
        >
          {ORGANISATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`org.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="owner_id" label={t('org.owner')} defaultValue={v('owner_id')} error={errors.owner_id}>
          <option value="">{t('common.unassigned')}</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <fieldset className="grid gap-4">
        <legend className="mb-2 text-sm font-semibold text-slate-900">{t('org.tagsNotes')}</legend>
        <TextField name="tags" label={t('record.tags')} hint={t('record.tagsHint')} defaultValue={v('tags')} error={errors.tags} autoComplete="off" />
        <TextAreaField name="notes" label={t('record.notes')} defaultValue={v('notes')} error={errors.notes} rows={5} />
      </fieldset>
    </div>
  )
}
