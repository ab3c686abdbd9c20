import { useT } from '~/i18n/use-t'
import { CONTRACT_PERIODS, CONTRACT_TYPES, PERIOD_LABELS, TYPE_LABELS } from '../../domain/contracts/contract'
import { CheckboxField } from './ui/checkbox-field'
import { SelectField, TextAreaField, TextField } from './ui/field'

type Option = { id: string; name: string }
export type ContractFieldOptions = { owners: Option[]; organisations: Option[]; contacts: Option[]; deals: Option[] }

/** The contract form's fields (new and edit); `locked`: terms that change only by amendment. */
export function ContractFields({
  values,
  errors,
  options,
  locked = false,
}: {
  values: Record<string, string>
  errors: Record<string, string>
  options: ContractFieldOptions
  locked?: boolean
}) {
  const t = useT()
  const v = (k: string) => values[k] ?? ''
  const choice = (list: Option[], empty: string) => [
    <option key="" value="">
      {empty}
    </option>,
    ...list.map((o) => (
      <option key={o.id} value={o.id}>
        {o.name}
      </option>
    )),
  ]
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField name="title" label={t('contract.title')} required defaultValue={v('title')} error={errors.title} className="sm:col-span-2" />
      <SelectField name="organisation_id" label={t('contract.organisation')} required defaultValue={v('organisation_id')} error={errors.organisation_id}>
        {choice(options.organisations, '—')}
      </SelectField>
      <SelectField name="contact_id" label={t('contract.contact')} defaultValue={v('contact_id')} error={errors.contact_id}>
        {choice(options.contacts, '—')}
      </SelectField>
      <SelectField name="deal_id" label={t('contract.deal')} defaultValue={v('deal_id')} error={errors.deal_id}>
        {choice(options.deals, '—')}
      </SelectField>
      <SelectField name="owner_id" label={t('contract.owner')} defaultValue={v('owner_id')} error={errors.owner_id}>
        {choice(options.owners, '—')}
      </SelectField>
      <SelectField name="type" label={t('contract.type')} required defaultValue={v('type')} error={errors.type}>
        {CONTRACT_TYPES.map((k) => (
          <option key={k} value={k}>
            {TYPE_LABELS[k]}
          </option>
        ))}
      </SelectField>
      <div />
      <TextField
        name="start_date"
        type="date"
        label={t('contract.startDate')}
        required
        defaultValue={v('start_date')}
        error={errors.start_date}
        readOnly={locked}
      />
      <TextField name="end_date" type="date" label={t('contract.endDate')} required defaultValue={v('end_date')} error={errors.end_date} readOnly={locked} />
      <TextField
        name="amount"
        inputMode="decimal"
        label={t('contract.amount')}
        required
        defaultValue={v('amount')}
        error={errors.amount ?? errors.unit_amount_cents}
        readOnly={locked}
      />
      <TextField
        name="quantity"
        inputMode="numeric"
        label={t('contract.quantity')}
        required
        defaultValue={v('quantity')}
        error={errors.quantity}
        readOnly={locked}
      />
      <SelectField name="amount_period" label={t('contract.amountPeriod')} defaultValue={v('amount_period')} error={errors.amount_period} disabled={locked}>
        {CONTRACT_PERIODS.map((k) => (
          <option key={k} value={k}>
            {PERIOD_LABELS[k]}
          </option>
        ))}
      </SelectField>
      {locked ? <input type="hidden" name="amount_period" value={v('amount_period')} /> : null}
      <SelectField name="billing_frequency" label={t('contract.billingFrequency')} defaultValue={v('billing_frequency')} error={errors.billing_frequency}>
        {CONTRACT_PERIODS.map((k) => (
          <option key={k} value={k}>
            {PERIOD_LABELS[k]}
          </option>
        ))}
      </SelectField>
      <TextField
        name="payment_terms_days"
        inputMode="numeric"
        label={t('contract.paymentTerms')}
        defaultValue={v('payment_terms_days')}
        error={errors.payment_terms_days}
      />
      <CheckboxField
        name="tacit_renewal"
        label={t('contract.tacitRenewal')}
        hint={t('contract.tacitRenewalHint')}
        defaultChecked={v('tacit_renewal') === 'on'}
        error={errors.tacit_renewal}
        className="sm:col-span-2"
      />
      <TextField
        name="renewal_months"
        inputMode="numeric"
        label={t('contract.renewalMonths')}
        defaultValue={v('renewal_months')}
        error={errors.renewal_months}
      />
      <TextField name="notice_months" inputMode="numeric" label={t('contract.noticeMonths')} defaultValue={v('notice_months')} error={errors.notice_months} />
      <TextField
        name="indexation"
        inputMode="decimal"
        label={t('contract.indexation')}
        defaultValue={v('indexation')}
        error={errors.indexation ?? errors.indexation_bp}
      />
      <TextAreaField name="notes" label={t('contract.notes')} defaultValue={v('notes')} error={errors.notes} className="sm:col-span-2" rows={3} />
    </div>
  )
}
