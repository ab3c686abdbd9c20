import { Form } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { CONTRACT_STATUSES, CONTRACT_TYPES, STATUS_LABELS, TYPE_LABELS } from '../../domain/contracts/contract'
import { Button } from './ui/button'
import { SelectField } from './ui/field'

type Option = { id: string; name: string }

/** Team / owner / type (/ status) filters as a GET form: works without JavaScript, the URL keeps them. */
export function ContractFilters({
  values,
  teams,
  owners,
  withStatus = true,
}: {
  values: Record<string, string>
  teams: Option[]
  owners: Option[]
  withStatus?: boolean
}) {
  const t = useT()
  return (
    <Form method="get" className="mb-4 grid grid-cols-1 gap-3 sm:grid-cols-5 sm:items-end">
      <SelectField name="team" label={t('contract.team')} defaultValue={values.team}>
        <option value="">{t('contract.all')}</option>
        {teams.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      <SelectField name="owner" label={t('contract.owner')} defaultValue={values.owner}>
        <option value="">{t('contract.all')}</option>
        {owners.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      <SelectField name="type" label={t('contract.type')} defaultValue={values.type}>
        <option value="">{t('contract.all')}</option>
        {CONTRACT_TYPES.map((k) => (
          <option key={k} value={k}>
            {TYPE_LABELS[k]}
          </option>
        ))}
      </SelectField>
      {withStatus ? (
        <SelectField name="status" label={t('contract.status')} defaultValue={values.status}>
          <option value="">{t('contract.all')}</option>
          {CONTRACT_STATUSES.map((k) => (
            <option key={k} value={k}>
              {STATUS_LABELS[k]}
            </option>
          ))}
        </SelectField>
      ) : null}
      <Button variant="secondary">{t('contract.filter')}</Button>
    </Form>
  )
}
