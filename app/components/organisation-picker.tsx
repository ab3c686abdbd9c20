import { useSearchParams } from '@remix-run/react'
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useT } from '~/i18n/use-t'
import type { OrganisationLookupItem } from '~/routes/organisations.lookup'

export const ORGANISATION_SEARCH_FORM = 'organisation-picker-search'
/** The intent of the no-JS "Chercher" button when the search posts the page's own form (`inFormSearch`). */
export const ORGANISATION_SEARCH_INTENT = 'org_search'

/** The action's answer to that search: the matches, and everything typed, unsaved. */
export type OrganisationSearchAnswer = {
  orgSearch: { q: string; organisations: Option[] }
  values: Record<string, string>
}
export const isOrganisationSearchAnswer = (d: unknown): d is OrganisationSearchAnswer => typeof d === 'object' && d !== null && 'orgSearch' in d

type Option = { id: string; name: string }
type Props = {
  name?: string
  label: string
  value: string
  error?: string
  required?: boolean
  className?: string
  /** Without JavaScript: the choices (the current one, then matches of ?org_q= or the first ones by name). */
  options: Option[]
  /**
   * Without JavaScript, "Chercher" posts the page's own form (intent `org_search`) so that
   * everything typed comes back with the matches; otherwise it is a GET that reloads the page.
   */
  inFormSearch?: boolean
  /** The term searched (the action's answer when `inFormSearch`); else `?org_q=`. */
  query?: string
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

const control =
  'block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-indigo-600 focus:border-indigo-600'

/**
 * Choosing an organisation among thousands. With JavaScript: a combobox fed by
 * /organisations/lookup as you type. Without: a select of the first organisations (or
 * those matching `?org_q=`) and a search field that reloads the page with matches —
 * it belongs to the GET form <OrganisationSearchForm/>, rendered after the page's form.
 */
export function OrganisationPicker({ name = 'organisation_id', label, value, error, required, className, options, inFormSearch, query }: Props) {
  const t = useT()
  const hydrated = useHydrated()
  const [params] = useSearchParams()
  const q = query ?? params.get('org_q') ?? ''
  const searchForm = inFormSearch ? undefined : ORGANISATION_SEARCH_FORM
  const describedBy = [error && `${name}-error`, `${name}-hint`].filter(Boolean).join(' ')
  const labelEl = (
    <label htmlFor={`f-${name}`} className="block text-sm font-medium text-slate-800">
      {label}
      {required ? (
        <span className="text-red-700" aria-hidden="true">
          {' '}
          *
        </span>
      ) : null}
      {required ? <span className="sr-only"> ({t('common.required')})</span> : null}
    </label>
  )
  return (
    <div className={className}>
      {labelEl}
      {hydrated ? (
        <Combobox name={name} value={value} error={error} required={required} options={options} describedBy={describedBy} />
      ) : (
        <>
          <div className="mt-1">
            <select
              id={`f-${name}`}
              name={name}
              required={required}
              defaultValue={value}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
              className={`${control} ${error ? 'border-red-600' : 'border-slate-300'}`}
            >
              <option value="">{t('deal.chooseOrganisation')}</option>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <p id={`${name}-hint`} className="mt-1 text-xs text-slate-600">
            {q ? (options.length ? t('picker.matches', { q }) : t('picker.noMatch', { q })) : t('picker.noJsHint', { count: options.length })}
          </p>
          <div className="mt-2 flex gap-2">
            <label htmlFor={`${name}-search`} className="sr-only">
              {t('picker.search')}
            </label>
            <input
              id={`${name}-search`}
              name="org_q"
              type="search"
              form={searchForm}
              defaultValue={q}
              placeholder={t('picker.search')}
              className={`${control} border-slate-300`}
            />
            <button
              type="submit"
              form={searchForm}
              name={inFormSearch ? 'intent' : undefined}
              value={inFormSearch ? ORGANISATION_SEARCH_INTENT : undefined}
              formNoValidate={inFormSearch || undefined}
              className="shrink-0 rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              {t('picker.searchButton')}
            </button>
          </div>
        </>
      )}
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/**
 * With `inFormSearch` the form holds two submit buttons and Enter presses the first one in
 * the page: render this one first in the form so that Enter still saves, as before.
 */
export function DefaultSubmit() {
  return <button type="submit" hidden tabIndex={-1} />
}

/** The no-JS picker's search form: render it once, after (outside) the page's POST form. */
export function OrganisationSearchForm() {
  return <form id={ORGANISATION_SEARCH_FORM} method="get" hidden />
}

function Combobox({
  name,
  value,
  error,
  required,
  options,
  describedBy,
}: {
  name: string
  value: string
  error?: string
  required?: boolean
  options: Option[]
  describedBy: string
}) {
  const t = useT()
  const id = useId()
  const listId = `${id}-list`
  const initial = options.find((o) => o.id === value)
  const [selected, setSelected] = useState<Option | null>(initial ?? null)
  const [text, setText] = useState(initial?.name ?? '')
  const [items, setItems] = useState<OrganisationLookupItem[]>([])
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const [loading, setLoading] = useState(false)
  const abort = useRef<AbortController>()

  useEffect(() => {
    if (!open) return
    const timer = setTimeout(async () => {
      abort.current?.abort()
      const ctrl = new AbortController()
      abort.current = ctrl
      setLoading(true)
      try {
        const res = await fetch(`/organisations/lookup?q=${encodeURIComponent(text.trim())}`, { signal: ctrl.signal, headers: { Accept: 'application/json' } })
        if (res.ok) {
          setItems(((await res.json()) as { items: OrganisationLookupItem[] }).items)
          setActive(-1)
        }
      } catch {
        // Aborted by a newer query, or offline: keep the previous list.
      } finally {
        if (abort.current === ctrl) setLoading(false)
      }
    }, 200)
    return () => clearTimeout(timer)
  }, [text, open])

  const choose = (item: Option) => {
    setSelected(item)
    setText(item.name)
    setOpen(false)
    setActive(-1)
  }
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setOpen(true)
      setActive((i) => (items.length ? (i + 1) % items.length : -1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((i) => (items.length ? (i <= 0 ? items.length - 1 : i - 1) : -1))
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault()
        setOpen(false)
      }
    } else if (e.key === 'Enter' && open) {
      // Never submits the deal form while choosing.
      e.preventDefault()
      const item = items[active] ?? (items.length === 1 ? items[0] : undefined)
      if (item) choose(item)
    }
  }
  const expanded = open && (items.length > 0 || (!loading && text.trim().length >= 2))
  return (
    <div className="relative mt-1">
      <input
        id={`f-${name}`}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        aria-required={required || undefined}
        autoComplete="off"
        value={text}
        placeholder={t('picker.search')}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
          if (selected && e.target.value !== selected.name) setSelected(null)
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        className={`${control} ${error ? 'border-red-600' : 'border-slate-300'}`}
      />
      <input type="hidden" name={name} value={selected?.id ?? ''} />
      <p id={`${name}-hint`} className="mt-1 text-xs text-slate-600">
        {loading ? t('picker.loading') : t('picker.hint')}
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label={t('picker.search')}
        hidden={!expanded}
        className="absolute left-0 right-0 top-10 z-30 max-h-72 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
      >
        {items.map((item, i) => (
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events -- a combobox option: the input keeps focus and handles the keys (aria-activedescendant), the click is the mouse path
          <li
            key={item.id}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active || selected?.id === item.id}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(item)}
            onMouseEnter={() => setActive(i)}
            className={`cursor-pointer px-3 py-2 text-sm ${i === active ? 'bg-indigo-50' : ''}`}
          >
            <span className="block font-medium text-slate-900">{item.name}</span>
            {item.city || item.siren ? (
              <span className="block text-xs text-slate-600">{[item.city, item.siren ? `SIREN ${item.siren}` : null].filter(Boolean).join(' · ')}</span>
            ) : null}
          </li>
        ))}
        {!items.length && !loading ? (
          <li role="option" aria-selected={false} aria-disabled="true" className="px-3 py-2 text-sm text-slate-600">
            {t('picker.noMatch', { q: text.trim() })}
          </li>
        ) : null}
      </ul>
    </div>
  )
}
