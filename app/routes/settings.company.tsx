import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { CheckboxField } from '~/components/ui/checkbox-field'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { field, parseForm } from '~/utils/form-schema.server'
import { domainFailure, failure, formValues, text, type FormFailure } from '~/utils/forms.server'
import { canAdminister } from '../../domain/identity/roles'
import { loadCompanySettings, saveCompanySettingsCommand, sellerFromSettings } from '../../domain/sales/company-settings'
import {
  formatIban,
  LEGAL_FORMS,
  legalMentions,
  LOGO_MAX_BYTES,
  missingLegalDetails,
  validateCompanyFields,
  type CompanyFields,
} from '../../domain/sales/company-settings.rules'
import { parseEuros } from '../../domain/shared/money'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'

// /settings/company — the workspace's legal identity printed on every quote (admins
// only): name, form, capital, SIREN/SIRET, RCS, VAT number, address, bank details,
// logo (PNG/JPEG ≤ 1 MB, stored in Postgres), brand colour, default conditions. A plain
// multipart POST: works without JavaScript; errors come back beside each field.

export const meta: MetaFunction = () => [{ title: 'Société et mentions légales — Alforis CRM' }]

const centsToEuros = (c: number | null) => (c === null ? '' : (c / 100).toFixed(2).replace('.', ',').replace(/,00$/, ''))

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  const s = await loadCompanySettings(context.runtime.db, auth.user.workspaceId)
  return {
    saved: new URL(request.url).searchParams.get('enregistre') === '1',
    version: s.version,
    logo: s.logo_sha256,
    mentions: legalMentions(sellerFromSettings(s)),
    missing: missingLegalDetails(s),
    values: {
      company_name: s.company_name,
      legal_form: s.legal_form ?? '',
      share_capital: centsToEuros(s.share_capital_cents),
      siren: s.siren ?? '',
      siret: s.siret ?? '',
      rcs_city: s.rcs_city ?? '',
      vat_number: s.vat_number ?? '',
      address: s.address ?? '',
      postal_code: s.postal_code ?? '',
      city: s.city ?? '',
      email: s.email ?? '',
      phone: s.phone ?? '',
      iban: s.iban ? formatIban(s.iban) : '',
      bic: s.bic ?? '',
      brand_color: s.brand_color,
      default_payment_terms: s.default_payment_terms ?? '',
      default_validity_days: String(s.default_validity_days),
      vat_franchise: s.vat_franchise ? 'on' : '',
    } as Record<string, string>,
  }
}

// The settings form's shape (parseForm); the capital and the validity are read in the action, beside the domain's errors.
const companyFormSchema = z.object({
  company_name: field.text(),
  legal_form: field.optionalText(),
  share_capital: field.text(),
  siren: field.optionalText(),
  siret: field.optionalText(),
  rcs_city: field.optionalText(),
  vat_number: field.optionalText(),
  address: field.optionalText(),
  postal_code: field.optionalText(),
  city: field.optionalText(),
  email: field.optionalText(),
  phone: field.optionalText(),
  iban: field.optionalText(),
  bic: field.optionalText(),
  brand_color: field.text(),
  default_payment_terms: field.optionalText(),
  default_validity_days: field.text(),
  vat_franchise: field.checkbox(),
})

export async function action({ request, context }: ActionFunctionArgs) {
  // A logo over the limit is refused before its body is read.
  const length = Number(request.headers.get('Content-Length') ?? 0)
  if (length > LOGO_MAX_BYTES + 256 * 1024) {
    const auth = await requireUser(request, context)
    if (!canAdminister(auth.actor)) throw forbidden()
    return failure({}, { logo: auth.t('company.logoTooBig') }, 413)
  }
  const auth = await requireUserForm(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const parsed = parseForm(form, companyFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { share_capital: capitalText, default_validity_days: validityText, ...posted } = parsed.value
  const errors: Record<string, string> = {}
  const capital = capitalText ? parseEuros(capitalText) : null
  if (capitalText && capital === null) errors.share_capital = auth.t('company.capitalInvalid')
  const validity = /^\d{1,3}$/.test(validityText) ? Number(validityText) : NaN
  const fields: CompanyFields = { ...posted, share_capital_cents: capital, default_validity_days: validity }
  const file = form.get('logo')
  const logo = file instanceof File && file.size > 0 ? { contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : null
  const expectedVersion = Number(text(form, 'version'))
  if (Object.keys(errors).length) {
    // The other fields' errors too, in one round trip.
    try {
      validateCompanyFields(fields)
    } catch (e) {
      if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(auth.locale, e), ...errors }, 422)
      throw e
    }
    return failure(values, errors, 422)
  }
  try {
    await saveCompanySettingsCommand(context.runtime.db, auth.ctx(), { expectedVersion, fields, logo, removeLogo: form.get('remove_logo') === 'on' })
  } catch (e) {
    return domainFailure(e, values, auth, errors)
  }
  throw redirect('/settings/company?enregistre=1')
}

export default function CompanySettingsPage() {
  const data = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const v = failed?.values ?? data.values
  const e = failed?.errors ?? {}
  const field = (name: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField name={name} label={label} defaultValue={v[name] ?? ''} error={e[name]} {...extra} />
  )
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title={t('company.title')} subtitle={t('company.subtitle')} />
      {data.saved && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{t('company.saved')}</Alert>
        </div>
      ) : null}
      {data.missing.length && !failed ? (
        <div className="mb-4">
          <Alert tone="warning">{t('company.missing', { list: data.missing.join(', ') })}</Alert>
        </div>
      ) : null}
      {failed ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate className="space-y-6">
        <AuthenticityTokenInput />
        <input type="hidden" name="version" value={data.version} />
        <Card title={t('company.identity')}>
          <div className="grid gap-4 sm:grid-cols-2">
            {field('company_name', t('company.name'), { required: true, autoComplete: 'organization' })}
            <SelectField name="legal_form" label={t('company.legalForm')} defaultValue={v.legal_form ?? ''} error={e.legal_form}>
              <option value="">{t('company.legalFormNone')}</option>
              {LEGAL_FORMS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </SelectField>
            {field('share_capital', t('company.capital'), {
              inputMode: 'decimal',
              hint: t('company.capitalHint'),
              error: e.share_capital ?? e.share_capital_cents,
            })}
            {field('rcs_city', t('company.rcsCity'), { hint: t('company.rcsCityHint') })}
            {field('siren', t('company.siren'), { inputMode: 'numeric' })}
            {field('siret', t('company.siret'), { inputMode: 'numeric' })}
            {field('vat_number', t('company.vatNumber'))}
            <div className="sm:col-span-2">
              <CheckboxField
                name="vat_franchise"
                label={t('company.vatFranchise')}
                hint={t('company.vatFranchiseHint')}
                defaultChecked={v.vat_franchise === 'on'}
              />
            </div>
          </div>
        </Card>
        <Card title={t('company.contact')}>
          <div className="grid gap-4 sm:grid-cols-2">
            {field('address', t('company.address'), { className: 'sm:col-span-2', autoComplete: 'street-address' })}
            {field('postal_code', t('company.postalCode'), { inputMode: 'numeric', autoComplete: 'postal-code' })}
            {field('city', t('company.city'), { autoComplete: 'address-level2' })}
            {field('email', t('company.email'), { type: 'email', autoComplete: 'email' })}
            {field('phone', t('company.phone'), { type: 'tel', autoComplete: 'tel' })}
          </div>
        </Card>
        <Card title={t('company.bank')}>
          <div className="grid gap-4 sm:grid-cols-2">
            {field('iban', t('company.iban'), { hint: t('company.ibanHint'), autoComplete: 'off' })}
            {field('bic', t('company.bic'), { autoComplete: 'off' })}
          </div>
        </Card>
        <Card title={t('company.branding')}>
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              {field('brand_color', t('company.brandColor'), { hint: t('company.brandColorHint'), placeholder: '#3730a3' })}
              <div className="mt-2 flex items-center gap-2 text-sm text-slate-700">
                <span
                  aria-hidden="true"
                  className="inline-block h-6 w-10 rounded border border-slate-300"
                  style={{ backgroundColor: /^#[0-9a-f]{6}$/i.test(data.values.brand_color) ? data.values.brand_color : undefined }}
                />
                {t('company.brandColorCurrent', { color: data.values.brand_color })}
              </div>
            </div>
            <div>
              <label htmlFor="f-logo" className="block text-sm font-medium text-slate-800">
                {t('company.logo')}
              </label>
              <input
                id="f-logo"
                name="logo"
                type="file"
                accept="image/png,image/jpeg"
                aria-describedby={['logo-hint', e.logo && 'logo-error'].filter(Boolean).join(' ')}
                aria-invalid={e.logo ? true : undefined}
                className="mt-1 block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
              />
              <p id="logo-hint" className="mt-1 text-xs text-slate-600">
                {t('company.logoHint')}
              </p>
              {e.logo ? (
                <p id="logo-error" className="mt-1 text-sm font-medium text-red-700">
                  {e.logo}
                </p>
              ) : null}
              {data.logo ? (
                <div className="mt-3 space-y-2">
                  <img
                    src={`/settings/company/logo/${data.logo}`}
                    alt={t('company.logoCurrent')}
                    className="max-h-16 max-w-[12rem] rounded border border-slate-200 bg-white p-1"
                  />
                  <CheckboxField name="remove_logo" label={t('company.logoRemove')} />
                </div>
              ) : null}
            </div>
          </div>
        </Card>
        <Card title={t('company.defaults')}>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextAreaField
              name="default_payment_terms"
              label={t('company.paymentTerms')}
              defaultValue={v.default_payment_terms ?? ''}
              error={e.default_payment_terms}
              className="sm:col-span-2"
            />
            {field('default_validity_days', t('company.validityDays'), { inputMode: 'numeric', hint: t('company.validityDaysHint') })}
          </div>
        </Card>
        <div className="flex flex-wrap gap-3">
          <Button disabled={navigation.state === 'submitting'}>{t('common.save')}</Button>
        </div>
      </Form>
      <Card title={t('company.mentionsPreview')} className="mt-6">
        <p className="mb-2 text-sm text-slate-600">{t('company.mentionsPreviewHint')}</p>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
          {data.mentions.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </Card>
    </div>
  )
}
