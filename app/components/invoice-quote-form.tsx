import { Form } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { Alert } from './ui/alert'
import { Button } from './ui/button'
import { Card } from './ui/page-header'

/** "Facturer" on a signed quote (finance and admins): the full amount, or a deposit of a typed percentage. Works without JS. */
export function InvoiceQuoteForm({ quoteId, commandId, error }: { quoteId: string; commandId: string; error: string | null }) {
  const t = useT()
  return (
    <Card title={t('invoice.quote.invoice')} className="mb-6">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Form method="post" action="/invoices/from-quote" className="mt-2 space-y-3">
        <AuthenticityTokenInput />
        <input type="hidden" name="quote_id" value={quoteId} />
        <input type="hidden" name="commandId" value={commandId} />
        <p className="text-sm text-slate-700">{t('invoice.quote.invoiceHint')}</p>
        <fieldset className="space-y-2">
          <legend className="sr-only">{t('invoice.quote.invoice')}</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="mode" value="full" defaultChecked className="h-4 w-4" />
            {t('invoice.quote.full')}
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="mode" value="deposit" className="h-4 w-4" />
            {t('invoice.quote.deposit')}
          </label>
        </fieldset>
        <div className="max-w-[12rem]">
          <label htmlFor="deposit_percent" className="block text-sm font-medium text-slate-800">
            {t('invoice.quote.depositPercent')}
          </label>
          <input
            id="deposit_percent"
            name="deposit_percent"
            inputMode="decimal"
            defaultValue="30"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-600"
          />
        </div>
        <Button>{t('invoice.quote.invoice')}</Button>
      </Form>
    </Card>
  )
}
