import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { terminateContractCommand } from '../../domain/contracts/contract.commands'
import { REASON_LABELS, TERMINATION_REASONS } from '../../domain/contracts/contract'
import { noticeDeadline } from '../../domain/contracts/contract-dates'
import { monthlyCents } from '../../domain/contracts/mrr'
import type { TerminationReason } from '../../db/schema'
import { parisDay } from '../../domain/shared/paris-time'
import { contractChangeAction, loadContractChange } from '~/utils/contract-change.server'
import { text, type FormFailure } from '~/utils/forms.server'
import { formatEuros, formatIsoDate } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Résilier le contrat — Alforis CRM' }]

export async function loader(args: LoaderFunctionArgs) {
  const { auth, contract: c, commandId } = await loadContractChange(args)
  const today = parisDay(auth.now())
  const deadline = noticeDeadline(c.end_date, c.notice_months)
  return {
    contract: { id: c.id, title: c.title, version: c.version },
    // What the MRR loses: the contract's monthly value at its current terms.
    mrrLoss: monthlyCents(c.unit_amount_cents * c.quantity, c.amount_period),
    deadline,
    noticeRespected: today <= deadline,
    commandId,
    defaults: { reason: '', effective_date: c.end_date, comment: '' } as Record<string, string>,
  }
}

export const action = (args: ActionFunctionArgs) =>
  contractChangeAction(
    args,
    async ({ contract, form, ctx, expectedVersion }) => {
      await terminateContractCommand(args.context.runtime.db, ctx, {
        id: contract.id,
        expectedVersion,
        reason: text(form, 'reason') as TerminationReason,
        effectiveDate: text(form, 'effective_date'),
        comment: text(form, 'comment') || null,
      })
    },
    (id) => `/contracts/${id}?resilie=1`,
  )

export default function TerminateContract() {
  const { contract, commandId, defaults, mrrLoss, deadline, noticeRespected } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const t = useT()
  const values = failed?.values ?? defaults
  const errors = failed?.errors ?? {}
  return (
    <>
      <PageHeader title={t('contract.terminate')} subtitle={contract.title} />
      <Card>
        <Form method="post" noValidate className="space-y-4">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandId} />
          <input type="hidden" name="version" value={contract.version} />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <Alert tone="warning">{t('contract.mrrImpact', { amount: formatEuros(mrrLoss) })}</Alert>
          <p className="text-sm text-slate-700">{t(noticeRespected ? 'contract.noticeOk' : 'contract.noticeLate', { date: formatIsoDate(deadline) })}</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField name="reason" label={t('contract.reason')} required defaultValue={values.reason} error={errors.reason}>
              <option value="">—</option>
              {TERMINATION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_LABELS[r]}
                </option>
              ))}
            </SelectField>
            <TextField
              name="effective_date"
              type="date"
              label={t('contract.terminationEffective')}
              required
              defaultValue={values.effective_date}
              error={errors.effective_date}
            />
            <TextAreaField name="comment" label={t('contract.comment')} defaultValue={values.comment} error={errors.comment} className="sm:col-span-2" />
          </div>
          <div className="flex flex-wrap gap-3">
            <Button>{t('contract.confirmTerminate')}</Button>
            <LinkButton to={`/contracts/${contract.id}`} variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
