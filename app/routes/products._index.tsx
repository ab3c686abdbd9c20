import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button, LinkButton } from '~/components/ui/button'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { listProducts } from '../../domain/sales/sales.queries'
import { requireUser } from '~/utils/auth.server'
import { formatEuros } from '~/utils/format'
import { canManageProducts, productCategories } from '~/utils/products.server'
import { vatLabel } from '~/components/quotes/quote-form'

export const meta: MetaFunction = () => [{ title: 'Catalogue — Alforis CRM' }]

const STATES = ['active', 'archived', 'all'] as const
type State = (typeof STATES)[number]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const p = new URL(request.url).searchParams
  const state: State = (STATES as readonly string[]).includes(p.get('etat') ?? '') ? (p.get('etat') as State) : 'active'
  const categories = await productCategories(auth)
  const category = categories.includes(p.get('categorie') ?? '') ? p.get('categorie')! : ''
  const q = (p.get('q') ?? '').slice(0, 100)
  const rows = await listProducts(auth.tenant.db, auth.user.workspaceId, {
    q,
    category: category || undefined,
    includeArchived: state !== 'active',
    limit: 500,
  })
  return {
    products: rows
      .filter((r) => state !== 'archived' || !r.active)
      .map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        category: r.category,
        unit: r.unit,
        unit_price_cents: Number(r.unit_price_cents),
        vat_rate: r.vat_rate,
        vat_exemption: r.vat_exemption,
        active: r.active,
      })),
    categories,
    filters: { q, category, state },
    canManage: canManageProducts(auth.actor),
  }
}

export default function ProductsList() {
  const { products, categories, filters, canManage } = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const t = useT()
  const control =
    'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
  return (
    <>
      <PageHeader
        title={t('product.list')}
        subtitle={t('product.subtitle')}
        actions={
          canManage ? (
            <>
              <LinkButton to="/products/import" variant="secondary">
                {t('product.import')}
              </LinkButton>
              <LinkButton to="/products/new">{t('product.new')}</LinkButton>
            </>
          ) : null
        }
      />
      {search.get('cree') ? (
        <div className="mb-4">
          <Alert tone="success">{t('product.created')}</Alert>
        </div>
      ) : null}
      <Form
        method="get"
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end"
      >
        <div>
          <label htmlFor="f-q" className="block text-sm font-medium text-slate-800">
            {t('product.searchLabel')}
          </label>
          <input id="f-q" name="q" type="search" defaultValue={filters.q} className={control} />
        </div>
        <div>
          <label htmlFor="f-categorie" className="block text-sm font-medium text-slate-800">
            {t('product.filter.category')}
          </label>
          <select id="f-categorie" name="categorie" defaultValue={filters.category} className={control}>
            <option value="">{t('product.filter.allCategories')}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-etat" className="block text-sm font-medium text-slate-800">
            {t('product.filter.state')}
          </label>
          <select id="f-etat" name="etat" defaultValue={filters.state} className={control}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`product.filter.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">{t('quote.filter.apply')}</Button>
      </Form>
      {products.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">{t('product.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm" data-testid="products-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3">
                  {t('product.name')}
                </th>
                <th scope="col" className="hidden px-4 py-3 sm:table-cell">
                  {t('product.code')}
                </th>
                <th scope="col" className="hidden px-4 py-3 md:table-cell">
                  {t('product.category')}
                </th>
                <th scope="col" className="px-4 py-3 text-right">
                  {t('product.unitPrice')}
                </th>
                <th scope="col" className="hidden px-4 py-3 sm:table-cell">
                  {t('product.unit')}
                </th>
                <th scope="col" className="px-4 py-3">
                  {t('product.vatRate')}
                </th>
                <th scope="col" className="hidden px-4 py-3 md:table-cell">
                  {t('product.status')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {products.map((p) => (
                <tr key={p.id} className={p.active ? '' : 'bg-slate-50 text-slate-600'}>
                  <td className="px-4 py-3">
                    <Link to={`/products/${p.id}`} className="font-medium text-indigo-800 hover:underline">
                      {p.name}
                    </Link>
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">{p.code ?? ''}</td>
                  <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{p.category ?? ''}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-900">{formatEuros(p.unit_price_cents)}</td>
                  <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">{p.unit}</td>
                  <td className="px-4 py-3 text-slate-700" title={p.vat_exemption ?? undefined}>
                    {vatLabel(p.vat_rate)}
                  </td>
                  <td className="hidden px-4 py-3 md:table-cell">
                    <Badge tone={p.active ? 'green' : 'slate'}>{p.active ? t('product.active') : t('product.archived')}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
