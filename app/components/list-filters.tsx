import { Form, Link, useLocation, useNavigate, useNavigation } from '@remix-run/react'
import { useEffect, useRef, type FormEvent, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react'
import { useT } from '~/i18n/use-t'
import type { MessageKey } from '~/i18n/i18n'
import { formatInteger } from '~/utils/format'
import { Alert } from './ui/alert'
import { Button } from './ui/button'

// The pieces of a filtered list: a GET form (works without JavaScript; with it, a change
// of a select, box or date applies at once and empty fields stay out of the URL), its
// labelled fields, the sort, the "filters ignored" notice, the count, keyset page links,
// sortable column headers and export links.

export const control =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 ' +
  'focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'

/** `?query` plus extra parameters, or the bare path when empty. */
export function hrefWith(path: string, query: string, extra: Record<string, string> = {}) {
  const p = new URLSearchParams(query)
  for (const [k, v] of Object.entries(extra)) p.set(k, v)
  const qs = p.toString()
  return qs ? `${path}?${qs}` : path
}

// The form is re-mounted (keyed by its query) whenever the filters change, so that its
// fields show what the URL says, also after "Réinitialiser" or a saved filter. The field
// that had focus gets it back.
let refocus: string | null = null

export function FilterForm({ label, children }: { label: string; children: ReactNode }) {
  const navigate = useNavigate()
  const navigation = useNavigation()
  const { pathname } = useLocation()
  const t = useT()
  // Phones show the records first and the filters on demand; wider screens always open.
  // Opened here too (not only by CSS) so the state screen readers hear matches what is seen.
  const toggleRef = useRef<HTMLDetailsElement>(null)
  useEffect(() => {
    const wide = window.matchMedia('(min-width: 768px)')
    const sync = () => {
      if (toggleRef.current && wide.matches) toggleRef.current.open = true
    }
    sync()
    wide.addEventListener('change', sync)
    return () => wide.removeEventListener('change', sync)
  }, [])
  useEffect(() => {
    if (refocus && (document.activeElement === document.body || !document.activeElement)) document.getElementById(refocus)?.focus()
    refocus = null
  }, [])
  // With JavaScript: navigate to the non-empty fields only (short URLs to share and save).
  const apply = (form: HTMLFormElement) => {
    const params = new URLSearchParams()
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() !== '') params.append(k, v.trim())
    const qs = params.toString()
    navigate(qs ? `${pathname}?${qs}` : pathname, { preventScrollReset: true })
  }
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    apply(e.currentTarget)
  }
  const onChange = (e: FormEvent<HTMLFormElement>) => {
    // Selects and boxes apply at once; text and dates wait for Enter or "Appliquer" (a date
    // typed digit by digit passes through invalid years).
    const el = e.target as HTMLInputElement | HTMLSelectElement
    if (el.tagName === 'SELECT' || (el as HTMLInputElement).type === 'checkbox') {
      refocus = el.id || null
      apply(e.currentTarget)
    }
  }
  return (
    <Form
      method="get"
      role="search"
      aria-label={label}
      onSubmit={onSubmit}
      onChange={onChange}
      aria-busy={navigation.state === 'loading' ? true : undefined}
      className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <details ref={toggleRef} className="filters-toggle group">
        <summary className="flex min-h-[48px] cursor-pointer list-none items-center justify-between rounded-md text-sm font-semibold text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
          {t('list.filtersToggle')}
          <span aria-hidden="true" className="text-slate-500 group-open:rotate-180">
            ▾
          </span>
        </summary>
        <div className="pt-2 md:pt-0">{children}</div>
      </details>
    </Form>
  )
}

type FieldBase = { name: string; label: string; hint?: string; className?: string }

export function FilterInput({ name, label, hint, className = '', ...input }: FieldBase & Omit<InputHTMLAttributes<HTMLInputElement>, 'name'>) {
  return (
    <div className={className}>
      <label htmlFor={`filtre-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={`filtre-${name}`} name={name} aria-describedby={hint ? `filtre-${name}-hint` : undefined} className={`${control} mt-1`} {...input} />
      {hint ? (
        <p id={`filtre-${name}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  )
}

export function FilterSelect({ name, label, hint, className = '', children, ...select }: FieldBase & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'>) {
  return (
    <div className={className}>
      <label htmlFor={`filtre-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={`filtre-${name}`} name={name} aria-describedby={hint ? `filtre-${name}-hint` : undefined} className={`${control} mt-1`} {...select}>
        {children}
      </select>
      {hint ? (
        <p id={`filtre-${name}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  )
}

/** A select of free-text values the workspace uses; the current one stays listed even if new. */
export function ChoiceSelect({
  name,
  label,
  value,
  choices,
  anyLabel,
  className,
}: {
  name: string
  label: string
  value?: string
  choices: string[] | undefined
  anyLabel: string
  className?: string
}) {
  const all = value && !(choices ?? []).includes(value) ? [value, ...(choices ?? [])] : (choices ?? [])
  return (
    <FilterSelect name={name} label={label} defaultValue={value ?? ''} className={className}>
      <option value="">{anyLabel}</option>
      {all.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </FilterSelect>
  )
}

export function CheckboxGroup({
  name,
  legend,
  options,
  checked,
  className = '',
}: {
  name: string
  legend: string
  options: { value: string; label: string }[]
  checked: string[]
  className?: string
}) {
  return (
    <fieldset className={className}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="inline-flex items-center gap-2 py-1 text-sm text-slate-800">
            <input
              type="checkbox"
              id={`filtre-${name}-${o.value}`}
              name={name}
              value={o.value}
              defaultChecked={checked.includes(o.value)}
              className="h-4 w-4 rounded border-slate-400 text-indigo-700 focus:ring-2 focus:ring-indigo-600 focus:ring-offset-1"
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

export function SortFields<K extends string>({
  keys,
  current,
  labelOf,
}: {
  keys: readonly K[]
  current: { key: K; dir: 'asc' | 'desc' }
  labelOf: (k: K) => string
}) {
  const t = useT()
  return (
    <>
      <FilterSelect name="tri" label={t('list.sortBy')} defaultValue={current.key}>
        {keys.map((k) => (
          <option key={k} value={k}>
            {labelOf(k)}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect name="sens" label={t('list.sortDir')} defaultValue={current.dir}>
        <option value="asc">{t('list.asc')}</option>
        <option value="desc">{t('list.desc')}</option>
      </FilterSelect>
    </>
  )
}

/** "Plus de filtres": a <details>, open when one of its filters is in use. */
export function MoreFilters({ open, children }: { open: boolean; children: ReactNode }) {
  const t = useT()
  return (
    <details open={open} className="group mt-3 border-t border-slate-100 pt-3">
      <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded px-1 text-sm font-semibold text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="inline-block transition-transform group-open:rotate-90">
          ▸
        </span>
        {t('list.moreFilters')}
      </summary>
      <div className="mt-3 grid grid-cols-2 gap-x-3 gap-y-4 lg:grid-cols-4">{children}</div>
    </details>
  )
}

export function FilterActions({ resetTo }: { resetTo: string }) {
  const t = useT()
  return (
    <div className="flex items-end gap-2">
      <Button>{t('list.apply')}</Button>
      <Link
        to={resetTo}
        className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {t('list.reset')}
      </Link>
    </div>
  )
}

export function IgnoredNotice({ ignored }: { ignored: MessageKey[] }) {
  const t = useT()
  if (!ignored.length) return null
  return (
    <div className="mb-4">
      <Alert tone="warning">{t('list.ignored', { fields: ignored.map((k) => t(k)).join(', ') })}</Alert>
    </div>
  )
}

export type Count = { kind: 'exact' | 'more' | 'about'; n: number } | null

export function ResultCount({ count }: { count: Count }) {
  const t = useT()
  if (!count) return null
  const n = formatInteger(count.n)
  const text =
    count.kind === 'more'
      ? t('list.count.more', { count: n })
      : count.kind === 'about'
        ? t('list.count.about', { count: n })
        : count.n === 0
          ? t('list.count.zero')
          : count.n === 1
            ? t('list.count.one')
            : t('list.count.many', { count: n })
  return (
    <p className="text-sm text-slate-700" role="status">
      {text}
    </p>
  )
}

/**
 * The list's exports: Excel (XLSX) first — identifiers stay text there — and CSV beside
 * it with the warning that Excel alters identifiers when it opens a CSV.
 */
export function ExportLinks({ path, query, capped }: { path: string; query: string; capped: boolean }) {
  const t = useT()
  const link =
    'rounded-md bg-white px-3 py-1.5 text-sm font-medium text-indigo-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'
  const primary =
    'rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="export-links">
      <span className="text-sm text-slate-700">{t('list.export')} :</span>
      <a className={primary} href={hrefWith(path, query, { format: 'xlsx' })} aria-label={t('list.exportXlsxLabel')}>
        {t('list.exportXlsx')}
      </a>
      <a className={link} href={hrefWith(path, query, { format: 'csv' })} aria-label={t('list.exportCsvLabel')} aria-describedby="export-csv-note">
        {t('list.exportCsv')}
      </a>
      <span id="export-csv-note" className="text-xs text-slate-600">
        {t('list.exportCsvNote')}
      </span>
      {capped ? <span className="text-xs text-slate-600">{t('list.exportCap', { count: formatInteger(100_000) })}</span> : null}
    </div>
  )
}

/** Previous / next by cursor (keyset): the filters stay, the position moves. */
export function KeysetPager({ path, query, prev, next }: { path: string; query: string; prev: string | null; next: string | null }) {
  const t = useT()
  if (!prev && !next) return null
  const link =
    'rounded-md bg-white px-3 py-2 text-sm font-medium text-indigo-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'
  return (
    <nav aria-label={t('list.pagination')} className="mt-4 flex flex-wrap items-center justify-between gap-2">
      <div className="flex gap-2">
        {prev ? (
          <Link className={link} to={hrefWith(path, query)}>
            {t('list.first')}
          </Link>
        ) : null}
        {prev ? (
          <Link className={link} to={hrefWith(path, query, { avant: prev })} rel="prev">
            ← {t('common.previous')}
          </Link>
        ) : null}
      </div>
      {next ? (
        <Link className={link} to={hrefWith(path, query, { apres: next })} rel="next">
          {t('common.next')} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  )
}

/** A column header that sorts by its key; says how the list is sorted (aria-sort). */
export function SortHeader({
  path,
  query,
  sortKey,
  current,
  defaultDir,
  label,
  className = '',
}: {
  path: string
  query: string
  sortKey: string
  current: { key: string; dir: 'asc' | 'desc' }
  defaultDir: 'asc' | 'desc'
  label: string
  className?: string
}) {
  const t = useT()
  const active = current.key === sortKey
  const dir = active ? (current.dir === 'asc' ? 'desc' : 'asc') : defaultDir
  return (
    <th scope="col" className={`px-4 py-3 font-semibold ${className}`} aria-sort={active ? (current.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link
        to={hrefWith(path, query, { tri: sortKey, sens: dir })}
        title={t('list.sortByColumn', { column: label })}
        className="inline-flex items-center gap-1 rounded hover:text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {label}
        <span aria-hidden="true" className={active ? 'text-indigo-700' : 'text-slate-400'}>
          {active ? (current.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </Link>
    </th>
  )
}
