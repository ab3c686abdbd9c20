import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { CheckboxField } from '~/components/ui/checkbox-field'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { domainFailure, failure, formValues, text, type FormFailure } from '~/utils/forms.server'
import { canWriteInvoices } from '~/utils/invoices.server'
import { formatPercentFr, parsePercent } from '../../domain/sales/money'
import { DEFAULT_REMINDER_TEXTS } from '../../domain/invoicing/dunning'
import { OPERATION_CATEGORIES, OPERATION_CATEGORY_LABELS, PAYMENT_TERMS, PAYMENT_TERMS_CODES } from '../../domain/invoicing/invoice-rules'
import { loadInvoiceSettings, saveInvoiceSettingsCommand, type InvoiceSettingsFields } from '../../domain/invoicing/invoice-settings'

export const meta: MetaFunction = () => [{ title: 'Réglages de facturation — Alforis CRM' }]

// /invoices/settings — what company settings lack for invoicing: the number pattern,
// the default conditions and the dunning texts. Finance and admins.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  return { settings: await loadInvoiceSettings(context.runtime.db, auth.user.workspaceId), defaults: DEFAULT_REMINDER_TEXTS }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const rate = parsePercent(text(form, 'late_penalty_rate'))
  if (rate === null) return failure(values, { late_penalty_rate_bps: auth.t('invoice.error.percent') }, 400)
  const fields: InvoiceSettingsFields = {
    number_pattern: text(form, 'number_pattern'),
    default_operation_category: text(form, 'default_operation_category') as InvoiceSettingsFields['default_operation_category'],
    default_payment_terms: text(form, 'default_payment_terms'),
    late_penalty_rate_bps: rate,
    early_payment_discount: text(form, 'early_payment_discount') || null,
    vat_on_debits: form.get('vat_on_debits') === 'on',
    reminder_friendly: String(form.get('reminder_friendly') ?? ''),
    reminder_firm: String(form.get('reminder_firm') ?? ''),
    reminder_formal: String(form.get('reminder_formal') ?? ''),
    contract_billing_issue: form.get('contract_billing_issue') === 'on',
  }
  try {
    await saveInvoiceSettingsCommand(context.runtime.db, auth.ctx(), { expectedVersion: Number(form.get('version')), fields })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect('/invoices/settings?enregistre=1')
}

export default function InvoiceSettingsPage() {
  const { settings: s, defaults } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const v = failed?.values
  const e = failed?.errors ?? {}
  return (
    <>
      <PageHeader title={t('invoice.settings')} />
      {search.get('enregistre') && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{t('invoice.settings.saved')}</Alert>
        </div>
      ) : null}
      {failed ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert>
        </div>
      ) : null}
      <Card className="max-w-3xl">
        <Form method="post" noValidate className="space-y-4">
          <AuthenticityTokenInput />
          <input type="hidden" name="version" value={s.version} />
          <TextField
            name="number_pattern"
            label={t('invoice.settings.numberPattern')}
            hint={t('invoice.settings.numberPatternHint')}
            defaultValue={v?.number_pattern ?? s.number_pattern}
            error={e.number_pattern}
            maxLength={40}
          />
          <div className="grid gap-4 sm:grid-cols-3">
            <SelectField
              name="default_payment_terms"
              label={t('invoice.settings.defaultTerms')}
              defaultValue={v?.default_payment_terms ?? s.default_payment_terms}
            >
              {PAYMENT_TERMS_CODES.map((c) => (
                <option key={c} value={c}>
                  {PAYMENT_TERMS[c]}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="default_operation_category"
              label={t('invoice.settings.defaultCategory')}
              defaultValue={v?.default_operation_category ?? s.default_operation_category}
            >
              {OPERATION_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {OPERATION_CATEGORY_LABELS[c]}
                </option>
              ))}
            </SelectField>
            <TextField
              name="late_penalty_rate"
              inputMode="decimal"
              label={t('invoice.penaltyRate')}
              hint={t('invoice.penaltyRateHint')}
              defaultValue={v?.late_penalty_rate ?? formatPercentFr(s.late_penalty_rate_bps).replace(/\s*%$/, '')}
              error={e.late_penalty_rate_bps}
            />
          </div>
          <TextField
            name="early_payment_discount"
            label={t('invoice.earlyDiscount')}
            hint={t('invoice.earlyDiscountHint')}
            defaultValue={v?.early_payment_discount ?? s.early_payment_discount ?? ''}
            error={e.early_payment_discount}
          />
          <CheckboxField name="vat_on_debits" label={t('invoice.vatOnDebits')} defaultChecked={v ? v.vat_on_debits === 'on' : s.vat_on_debits} />
          <CheckboxField
            name="contract_billing_issue"
            label={t('invoice.settings.contractBillingIssue')}
            defaultChecked={v ? v.contract_billing_issue === 'on' : s.contract_billing_issue}
          />
          <p className="text-sm text-slate-700">{t('invoice.settings.reminderHint')}</p>
          {(['friendly', 'firm', 'formal'] as const).map((k) => (
            <TextAreaField
              key={k}
              name={`reminder_${k}`}
              label={t(`invoice.settings.reminder${k === 'friendly' ? 'Friendly' : k === 'firm' ? 'Firm' : 'Formal'}`)}
              rows={5}
              placeholder={defaults[k]}
              defaultValue={v?.[`reminder_${k}`] ?? s[`reminder_${k}`] ?? ''}
              error={e[`reminder_${k}`]}
            />
          ))}
          <Button disabled={busy}>{t('invoice.settings.save')}</Button>
        </Form>
      </Card>
    </>
  )
}
