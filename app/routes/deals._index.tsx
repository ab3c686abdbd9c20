import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import {
  CheckboxGroup,
  ChoiceSelect,
  ExportLinks,
  FilterActions,
  FilterForm,
  FilterInput,
  FilterSelect,
  IgnoredNotice,
  KeysetPager,
  MoreFilters,
  ResultCount,
  SortFields,
  SortHeader,
} from '~/components/list-filters'
import { SavedFilters } from '~/components/saved-filters'
import { StageBadge } from '~/components/ui/badge'
import { LinkButton } from '~/components/ui/button'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { loadStages } from '../../domain/crm/crm.repository'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { requireUser } from '~/utils/auth.server'
import { centsToInput, formatDate, formatEuros } from '~/utils/format'
import { countRows, dealPage, dealsMatching } from '~/utils/list-query.server'
import { parseDealList } from '~/utils/list-params.server'
import { filterChoices, ownerChoices, savedFiltersOf } from '~/utils/list-choices.server'
import { DEAL_SORT_KEYS, DEFAULT_SORT_DIR } from '~/utils/list-sorts'

export const meta: MetaFunction = () => [{ title: 'Affaires — Alforis CRM' }]

const PATH = '/deals'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const stages = await loadStages(auth.tenant.db, auth.user.workspaceId)
  const list = parseDealList(new URL(request.url), stages)
  const [page, count, owners, choices, saved] = await Promise.all([
    dealPage(auth, list, stages),
    countRows(auth, dealsMatching(auth, list.filters, stages)),
    ownerChoices(auth),
    filterChoices(auth, 'deals'),
    savedFiltersOf(auth, 'deals'),
  ])
  return {
    list: { filters: list.filters, sort: list.sort, ignored: list.ignored, query: list.query },
    page,
    count,
    owners,
    choices,
    saved,
    stages: stages.map((s) => ({ code: s.code, label: s.label, kind: s.kind })),
    canCreate: canCreateCrmRecords(auth.actor),
  }
}

export default function Deals() {
  const { list, page, count, owners, choices, saved, stages, canCreate } = useLoaderData<typeof loader>()
  const t = useT()
  const f = list.filters
  const stageOf = (code: string) => stages.find((s) => s.code === code)
  const advanced = !!(
    f.stages.length ||
    f.category ||
    f.source ||
    f.region ||
    f.amountMin !== undefined ||
    f.amountMax !== undefined ||
    f.closeFrom ||
    f.closeTo ||
    f.createdFrom ||
    f.createdTo
  )
  const header = (key: (typeof DEAL_SORT_KEYS)[number], label: string, className?: string) => (
    <SortHeader path={PATH} query={list.query} sortKey={key} current={list.sort} defaultDir={DEFAULT_SORT_DIR[key]} label={label} className={className} />
  )
  return (
    <>
      <PageHeader title={t('deal.list')} actions={canCreate ? <LinkButton to="/deals/new">{t('deal.new')}</LinkButton> : null} />
      <FilterForm key={list.query} label={t('list.filters')}>
        <div className="grid grid-cols-2 gap-x-3 gap-y-4 lg:grid-cols-[minmax(0,2fr)_repeat(4,minmax(0,1fr))]">
          <FilterInput
            name="q"
            type="search"
            label={t('list.search')}
            hint={t('list.dealSearchHint')}
            defaultValue={f.q ?? ''}
            maxLength={100}
            className="col-span-2 lg:col-span-1"
          />
          <FilterSelect name="responsable" label={t('list.owner')} defaultValue={f.owner ?? ''}>
            <option value="">{t('list.all')}</option>
            <option value="moi">{t('list.me')}</option>
            <option value="aucun">{t('list.unassigned')}</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect name="etat" label={t('list.state')} defaultValue={f.state ?? ''}>
            <option value="">{t('list.allFem')}</option>
            <option value="ouvertes">{t('list.state.open')}</option>
            <option value="gagnees">{t('list.state.won')}</option>
            <option value="perdues">{t('list.state.lost')}</option>
          </FilterSelect>
          <SortFields keys={DEAL_SORT_KEYS} current={list.sort} labelOf={(k) => t(`list.sort.${k}`)} />
        </div>
        <MoreFilters open={advanced}>
          <CheckboxGroup
            name="etape"
            legend={t('list.stages')}
            checked={f.stages}
            className="col-span-2 lg:col-span-4"
            options={stages.map((s) => ({ value: s.code, label: s.label }))}
          />
          <ChoiceSelect
            name="categorie"
            label={t('list.category')}
            value={f.category}
            choices={choices.categories}
            anyLabel={t('list.allFem')}
            className="col-span-2 sm:col-span-1"
          />
          <ChoiceSelect name="source" label={t('list.source')} value={f.source} choices={choices.sources} anyLabel={t('list.allFem')} />
          <ChoiceSelect name="region" label={t('list.region')} value={f.region} choices={choices.regions} anyLabel={t('list.allFem')} />
          <FilterInput
            name="montant_min"
            label={t('list.amountMin')}
            inputMode="decimal"
            hint={t('deal.amountHint')}
            defaultValue={f.amountMin !== undefined ? centsToInput(f.amountMin) : ''}
          />
          <FilterInput
            name="montant_max"
            label={t('list.amountMax')}
            inputMode="decimal"
            defaultValue={f.amountMax !== undefined ? centsToInput(f.amountMax) : ''}
          />
          <FilterInput name="cloture_du" type="date" label={t('list.closeFrom')} defaultValue={f.closeFrom ?? ''} />
          <FilterInput name="cloture_au" type="date" label={t('list.closeTo')} defaultValue={f.closeTo ?? ''} />
          <FilterInput name="cree_du" type="date" label={t('list.createdFrom')} defaultValue={f.createdFrom ?? ''} />
          <FilterInput name="cree_au" type="date" label={t('list.createdTo')} defaultValue={f.createdTo ?? ''} />
        </MoreFilters>
        <div className="mt-4 flex flex-wrap items-end justify-between gap-3">
          <FilterActions resetTo={PATH} />
        </div>
      </FilterForm>
      <IgnoredNotice ignored={list.ignored} />
      <SavedFilters entity="deals" path={PATH} query={list.query} saved={saved} />
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <ResultCount count={count} />
        <ExportLinks path="/deals/export" query={list.query} capped={!!count && (count.kind === 'more' || (count.kind === 'about' && count.n > 100_000))} />
      </div>
      {page.rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">{t('deal.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('deal.list')}</caption>
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                {header('intitule', t('deal.title'))}
                <th scope="col" className="hidden px-4 py-3 font-semibold sm:table-cell">
                  {t('deal.stage')}
                </th>
                {header('montant', t('dashboard.amount'), 'text-right')}
                {header('cloture', t('deal.expectedClose'), 'hidden md:table-cell')}
                <th scope="col" className="hidden px-4 py-3 font-semibold lg:table-cell">
                  {t('deal.owner')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.rows.map((d) => (
                <tr key={d.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link
                      to={`/deals/${d.id}`}
                      className="font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      {d.title}
                    </Link>
                    <div className="text-xs text-slate-600">{d.organisation_name}</div>
                    <div className="mt-1 sm:hidden">
                      <StageBadge label={stageOf(d.stage)?.label ?? d.stage} kind={stageOf(d.stage)?.kind} />
                    </div>
                  </td>
                  <td className="hidden px-4 py-3 sm:table-cell">
                    <StageBadge label={stageOf(d.stage)?.label ?? d.stage} kind={stageOf(d.stage)?.kind} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatEuros(d.amount_cents)}</td>
                  <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{formatDate(d.expected_close_date)}</td>
                  <td className="hidden px-4 py-3 text-slate-700 lg:table-cell">{d.owner_name ?? t('common.unassigned')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KeysetPager path={PATH} query={list.query} prev={page.prev} next={page.next} />
    </>
  )
}
