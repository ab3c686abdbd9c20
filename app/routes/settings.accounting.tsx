import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { domainFailure, formValues, text, type FormFailure } from '~/utils/forms.server'
import { categoryLines, parseCategoryLines, type ChartOfAccounts } from '../../domain/accounting/chart'
import { loadChart, saveChartCommand } from '../../domain/accounting/chart-settings'
import { canKeepAccounts } from '../../domain/accounting/permissions'
import { VAT_RATE_LABELS, VAT_RATES } from '../../domain/sales/vat'

// /settings/accounting — the chart of accounts the journal entries use (admins and
// finance): client, revenue per product category, deposits, collected VAT per rate,
// bank, and the two journals. A plain POST: works without JavaScript, errors in French
// beside each field. A saved chart applies to entries posted afterwards.

export const meta: MetaFunction = () => [{ title: 'Plan comptable — Alforis CRM' }]

function valuesOf(c: ChartOfAccounts): Record<string, string> {
  return {
    customers: c.customers,
    aux_prefix: c.aux_prefix,
    revenue_default: c.revenue_default,
    revenue_by_category: categoryLines(c.revenue_by_category),
    deposits: c.deposits,
    bank: c.bank,
    ...Object.fromEntries(VAT_RATES.map((r) => [`vat_${r}`, c.vat_collected[`${r}`]])),
    sales_journal_code: c.sales_journal.code,
    sales_journal_label: c.sales_journal.label,
    bank_journal_code: c.bank_journal.code,
    bank_journal_label: c.bank_journal.label,
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canKeepAccounts(auth.actor)) throw forbidden()
  const { chart, version } = await loadChart(context.runtime.db, auth.user.workspaceId)
  return { saved: new URL(request.url).searchParams.get('enregistre') === '1', version, values: valuesOf(chart) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canKeepAccounts(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const up = (name: string) => text(form, name).toUpperCase()
  try {
    const chart: ChartOfAccounts = {
      customers: text(form, 'customers'),
      aux_prefix: up('aux_prefix'),
      revenue_default: text(form, 'revenue_default'),
      revenue_by_category: parseCategoryLines(text(form, 'revenue_by_category')),
      deposits: text(form, 'deposits'),
      bank: text(form, 'bank'),
      vat_collected: Object.fromEntries(VAT_RATES.map((r) => [`${r}`, text(form, `vat_${r}`)])) as ChartOfAccounts['vat_collected'],
      sales_journal: { code: up('sales_journal_code'), label: text(form, 'sales_journal_label') },
      bank_journal: { code: up('bank_journal_code'), label: text(form, 'bank_journal_label') },
    }
    await saveChartCommand(context.runtime.db, auth.ctx(), { expectedVersion: Number(text(form, 'version')) || 0, chart })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect('/settings/accounting?enregistre=1')
}

export default function AccountingSettingsPage() {
  const data = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const v = failed?.values ?? data.values
  const e = failed?.errors ?? {}
  const field = (name: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField name={name} label={label} defaultValue={v[name] ?? ''} error={e[name]} autoComplete="off" {...extra} />
  )
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title="Plan comptable" subtitle="Les comptes et journaux utilisés pour les écritures des factures et des règlements, et dans le FEC." />
      {data.saved && !failed ? (
        <div className="mb-4">
          <Alert tone="success">Plan comptable enregistré. Il s’applique aux écritures passées à partir de maintenant.</Alert>
        </div>
      ) : null}
      {failed ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError ?? 'Certains champs sont à corriger : voir les messages sous chacun.'}</Alert>
        </div>
      ) : null}
      <Form method="post" noValidate className="space-y-6">
        <AuthenticityTokenInput />
        <input type="hidden" name="version" value={data.version} />
        <Card title="Clients et ventes">
          <div className="grid gap-4 sm:grid-cols-2">
            {field('customers', 'Compte clients', { hint: 'Collectif 411, un compte auxiliaire par client.', inputMode: 'numeric' })}
            {field('aux_prefix', 'Préfixe des comptes auxiliaires', { hint: 'Pour un client sans code comptable (ex. : C).' })}
            {field('revenue_default', 'Compte de ventes par défaut', { hint: '706 prestations de services, 707 marchandises.', inputMode: 'numeric' })}
            {field('deposits', 'Acomptes reçus', { hint: '4191 : crédité par une facture d’acompte, repris par la facture finale.', inputMode: 'numeric' })}
            <div className="sm:col-span-2">
              <TextAreaField
                name="revenue_by_category"
                label="Compte de ventes par catégorie de produit"
                hint="Une ligne par catégorie : « Marchandises = 707 ». Une catégorie absente prend le compte par défaut."
                defaultValue={v.revenue_by_category ?? ''}
                error={e.revenue_by_category}
                rows={5}
              />
            </div>
          </div>
        </Card>
        <Card title="TVA collectée par taux">
          <div className="grid gap-4 sm:grid-cols-3">
            {VAT_RATES.map((r) => (
              <div key={r}>{field(`vat_${r}`, `TVA à ${VAT_RATE_LABELS[r]}`, { inputMode: 'numeric' })}</div>
            ))}
          </div>
        </Card>
        <Card title="Banque et journaux">
          <div className="grid gap-4 sm:grid-cols-2">
            {field('bank', 'Compte de banque', { inputMode: 'numeric' })}
            <div />
            {field('sales_journal_code', 'Code du journal des ventes')}
            {field('sales_journal_label', 'Libellé du journal des ventes')}
            {field('bank_journal_code', 'Code du journal de banque')}
            {field('bank_journal_label', 'Libellé du journal de banque')}
          </div>
        </Card>
        <Button type="submit">Enregistrer le plan comptable</Button>
      </Form>
    </div>
  )
}
