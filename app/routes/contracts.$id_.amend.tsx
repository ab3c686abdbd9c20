import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { amendContractCommand } from '../../domain/contracts/contract.commands'
import { parseEurosToCents } from '../../domain/shared/money'
import { parisDay } from '../../domain/shared/paris-time'
import { contractChangeAction, loadContractChange } from '~/utils/contract-change.server'
import { failure, text, type FormFailure } from '~/utils/forms.server'
import { centsToInput } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Avenant — Alforis CRM' }]

export async function loader(args: LoaderFunctionArgs) {
  const { auth, contract: c, commandId } = await loadContractChange(args)
  const today = parisDay(auth.now())
  return {
    contract: { id: c.id, title: c.title, version: c.version, next: c.amendment_number + 1 },
    commandId,
    defaults: {
      effective_date: today < c.start_date ? c.start_date : today > c.end_date ? c.end_date : today,
      amount: centsToInput(c.unit_amount_cents),
      quantity: String(c.quantity),
      end_date: c.end_date,
      reason: '',
    } as Record<string, string>,
  }
}

export const action = (args: ActionFunctionArgs) =>
  contractChangeAction(
    args,
    async ({ auth, contract, form, values, ctx, expectedVersion }) => {
      const amount = parseEurosToCents(text(form, 'amount'))
      const qty = text(form, 'quantity')
      const errors: Record<string, string> = {}
      if (!amount.ok) errors.amount = auth.t('form.invalid')
      if (!/^\d{1,9}$/.test(qty)) errors.quantity = auth.t('form.invalid')
      if (Object.keys(errors).length) return failure(values, errors, 422)
      await amendContractCommand(args.context.runtime.db, ctx, {
        id: contract.id,
        expectedVersion,
        effectiveDate: text(form, 'effective_date'),
        changes: { unit_amount_cents: amount.ok ? amount.cents : undefined, quantity: Number(qty), end_date: text(form, 'end_date') },
        reason: text(form, 'reason') || null,
      })
    },
    (id) => `/contracts/${id}?avenant=1`,
  )

export default function AmendContract() {
  const { contract, commandId, defaults } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const t = useT()
  const values = failed?.values ?? defaults
  const errors = failed?.errors ?? {}
  return (
    <>
      <PageHeader title={`${t('contract.amend')} — ${t('contract.version', { n: contract.next })}`} subtitle={contract.title} />
      <Card>
        <Form method="post" noValidate className="space-y-4">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandId} />
          <input type="hidden" name="version" value={contract.version} />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <p className="text-sm text-slate-600">{t('contract.amendHint')}</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              name="effective_date"
              type="date"
              label={t('contract.effectiveDate')}
              required
              defaultValue={values.effective_date}
              error={errors.effective_date}
            />
            <TextField name="end_date" type="date" label={t('contract.newEndDate')} defaultValue={values.end_date} error={errors.end_date} />
            <TextField
              name="amount"
              inputMode="decimal"
              label={t('contract.newAmount')}
              defaultValue={values.amount}
              error={errors.amount ?? errors.unit_amount_cents}
            />
            <TextField name="quantity" inputMode="numeric" label={t('contract.newQuantity')} defaultValue={values.quantity} error={errors.quantity} />
            <TextAreaField name="reason" label={t('contract.amendReason')} defaultValue={values.reason} error={errors.reason} className="sm:col-span-2" />
          </div>
          <div className="flex flex-wrap gap-3">
            <Button>{t('contract.amend')}</Button>
            <LinkButton to={`/contracts/${contract.id}`} variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
