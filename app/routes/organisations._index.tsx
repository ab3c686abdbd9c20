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
import { ORGANISATION_SIZES } from '~/components/organisation-fields'
import { SavedFilters } from '~/components/saved-filters'
import { Badge, STATUS_TONE } from '~/components/ui/badge'
import { LinkButton } from '~/components/ui/button'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { requireUser } from '~/utils/auth.server'
import { countRows, organisationPage, organisationsMatching } from '~/utils/list-query.server'
import { parseOrganisationList } from '~/utils/list-params.server'
import { filterChoices, ownerChoices, savedFiltersOf } from '~/utils/list-choices.server'
import { DEFAULT_SORT_DIR, ORGANISATION_SORT_KEYS } from '~/utils/list-sorts'

export const meta: MetaFunction = () => [{ title: 'Organisations — Alforis CRM' }]

const PATH = '/organisations'
const STATUSES = ['prospect', 'client', 'ancien_client'] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const list = parseOrganisationList(new URL(request.url))
  const [page, count, owners, choices, saved] = await Promise.all([
    organisationPage(auth, list),
    countRows(auth, organisationsMatching(auth, list.filters)),
    ownerChoices(auth),
    filterChoices(auth, 'organisations'),
    savedFiltersOf(auth, 'organisations'),
  ])
  return {
    list: { filters: list.filters, sort: list.sort, ignored: list.ignored, query: list.query },
    page,
    count,
    owners,
    choices,
    saved,
    canCreate: canCreateCrmRecords(auth.actor),
  }
}

export default function Organisations() {
  const { list, page, count, owners, choices, saved, canCreate } = useLoaderData<typeof loader>()
  const t = useT()
  const f = list.filters
  const advanced = !!(f.sector || f.size || f.city || f.department || f.tags.length || f.createdFrom || f.createdTo)
  const sizeKnown = !f.size || (ORGANISATION_SIZES as readonly string[]).includes(f.size)
  return (
    <>
      <PageHeader title={t('org.list')} actions={canCreate ? <LinkButton to="/organisations/new">{t('org.new')}</LinkButton> : null} />
      <FilterForm key={list.query} label={t('list.filters')}>
        <div className="grid grid-cols-2 gap-x-3 gap-y-4 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))]">
          <FilterInput
            name="q"
            type="search"
            label={t('list.search')}
            hint={t('list.orgSearchHint')}
            defaultValue={f.q ?? ''}
            maxLength={100}
            className="col-span-2 lg:col-span-1"
          />
          <FilterSelect name="responsable" label={t('list.owner')} defaultValue={f.owner ?? ''} className="col-span-2 sm:col-span-1">
            <option value="">{t('list.all')}</option>
            <option value="moi">{t('list.me')}</option>
            <option value="aucun">{t('list.unassigned')}</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </FilterSelect>
          <SortFields keys={ORGANISATION_SORT_KEYS} current={list.sort} labelOf={(k) => t(`list.sort.${k}`)} />
          <CheckboxGroup
            name="statut"
            legend={t('list.statuses')}
            checked={f.status}
            className="col-span-2 lg:col-span-4"
            options={STATUSES.map((s) => ({ value: s, label: t(`org.status.${s}`) }))}
          />
        </div>
        <MoreFilters open={advanced}>
          <ChoiceSelect name="secteur" label={t('list.sector')} value={f.sector} choices={choices.sectors} anyLabel={t('list.all')} />
          <FilterSelect name="taille" label={t('list.size')} defaultValue={f.size ?? ''}>
            <option value="">{t('list.allFem')}</option>
            {ORGANISATION_SIZES.map((s) => (
              <option key={s} value={s}>
                {t(`org.size.${s}`)}
              </option>
            ))}
            {!sizeKnown ? <option value={f.size}>{f.size}</option> : null}
          </FilterSelect>
          <FilterInput name="ville" label={t('list.city')} defaultValue={f.city ?? ''} maxLength={100} />
          <FilterInput
            name="departement"
            label={t('list.department')}
            hint={t('list.departmentHint')}
            defaultValue={f.department ?? ''}
            maxLength={3}
            className="max-w-[12rem]"
          />
          <FilterInput
            name="etiquette"
            label={t('list.tags')}
            hint={t('list.tagsHint')}
            defaultValue={f.tags.join(', ')}
            list="etiquettes-connues"
            className="col-span-2 sm:col-span-1"
          />
          <datalist id="etiquettes-connues">
            {(choices.tags ?? []).map((x) => (
              <option key={x} value={x} />
            ))}
          </datalist>
          <FilterInput name="cree_du" type="date" label={t('list.createdFrom')} defaultValue={f.createdFrom ?? ''} />
          <FilterInput name="cree_au" type="date" label={t('list.createdTo')} defaultValue={f.createdTo ?? ''} />
        </MoreFilters>
        <div className="mt-4">
          <FilterActions resetTo={PATH} />
        </div>
      </FilterForm>
      <IgnoredNotice ignored={list.ignored} />
      <SavedFilters entity="organisations" path={PATH} query={list.query} saved={saved} />
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <ResultCount count={count} />
        <ExportLinks
          path="/organisations/export"
          query={list.query}
          capped={!!count && (count.kind === 'more' || (count.kind === 'about' && count.n > 100_000))}
        />
      </div>
      {page.rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">{t('org.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('org.list')}</caption>
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <SortHeader path={PATH} query={list.query} sortKey="nom" current={list.sort} defaultDir={DEFAULT_SORT_DIR.nom} label={t('org.name')} />
                <th scope="col" className="hidden px-4 py-3 font-semibold sm:table-cell">
                  {t('org.city')}
                </th>
                <th scope="col" className="px-4 py-3 font-semibold">
                  {t('org.status')}
                </th>
                <th scope="col" className="hidden px-4 py-3 font-semibold md:table-cell">
                  {t('org.owner')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.rows.map((o) => (
                <tr key={o.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link
                      to={`/organisations/${o.id}`}
                      className="font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      {o.name}
                    </Link>
                    {o.siren ? <div className="text-xs text-slate-600">SIREN {o.siren}</div> : null}
                    {o.tags.length ? (
                      <div className="mt-1 flex flex-wrap gap-1">
                        {o.tags.map((x) => (
                          <Badge key={x}>{x}</Badge>
                        ))}
                      </div>
                    ) : null}
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">{[o.postal_code, o.city].filter(Boolean).join(' ')}</td>
                  <td className="px-4 py-3">
                    <Badge tone={STATUS_TONE[o.status]}>{t(`org.status.${o.status}`)}</Badge>
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{o.owner_name ?? t('common.unassigned')}</td>
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
