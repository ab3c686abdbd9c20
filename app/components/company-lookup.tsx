import { Form, Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import type { CompanyLookup } from '~/utils/company-lookup.server'
import { Alert } from './ui/alert'
import { Button } from './ui/button'
import { TextField } from './ui/field'

/**
 * The company directory search above an organisation form: a GET form (the query lands in
 * the URL, the loader searches), results with "Utiliser" links that prefill the form.
 * `keep` are the page's own parameters (e.g. modifier=1) carried along.
 */
export function CompanyLookupPanel({
  lookup,
  keep = {},
  title,
  initialQ = '',
}: {
  lookup: CompanyLookup
  keep?: Record<string, string>
  title?: string
  initialQ?: string
}) {
  const t = useT()
  if (!lookup.enabled && !lookup.problem) return null
  const chooseHref = (siren: string) => `?${new URLSearchParams({ ...keep, annuaire: lookup.q, siren })}`
  const message =
    lookup.problem === 'off'
      ? t('lookup.off')
      : lookup.problem === 'unreachable'
        ? t('lookup.unreachable')
        : lookup.problem === 'tooShort'
          ? t('lookup.tooShort')
          : lookup.problem === 'none'
            ? t('lookup.none', { q: lookup.q })
            : null
  return (
    <section aria-labelledby="annuaire-titre" className="mb-6 rounded-lg border border-slate-200 bg-slate-50 p-4">
      <h2 id="annuaire-titre" className="text-sm font-semibold text-slate-900">
        {title ?? t('lookup.title')}
      </h2>
      {lookup.enabled ? (
        <Form method="get" className="mt-2 flex flex-wrap items-end gap-3">
          {Object.entries(keep).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <TextField name="annuaire" label={t('lookup.label')} defaultValue={lookup.q || initialQ} autoComplete="off" className="min-w-[16rem] flex-1" />
          <Button variant="secondary">{t('lookup.submit')}</Button>
        </Form>
      ) : null}
      {message ? (
        <div className="mt-3">
          <Alert tone={lookup.problem === 'none' || lookup.problem === 'tooShort' ? 'info' : 'error'}>{message}</Alert>
        </div>
      ) : null}
      {lookup.prefill ? (
        <div className="mt-3">
          <Alert tone="success">{t('lookup.applied')}</Alert>
        </div>
      ) : null}
      {lookup.companies.length ? (
        <>
          <h3 className="mt-3 text-xs font-medium uppercase tracking-wide text-slate-600">{t('lookup.results')}</h3>
          <ul className="mt-1 space-y-2">
            {lookup.companies.map((c) => (
              <li key={c.siren} className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-200">
                <span className="min-w-0">
                  <span className="font-medium text-slate-900">{c.name}</span>
                  <span className="text-slate-600">
                    {' · '}
                    {[`SIREN ${c.siren}`, c.city, c.legalForm, c.naf ? `NAF ${c.naf}` : null, c.headcount].filter(Boolean).join(' · ')}
                  </span>
                </span>
                <Link to={chooseHref(c.siren)} className="font-semibold text-indigo-800 underline hover:no-underline">
                  {t('lookup.use')}
                  <span className="sr-only"> : {c.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
