import { Form, Link, useFetcher, useLocation, useNavigate } from '@remix-run/react'
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useT } from '~/i18n/use-t'
import type { SearchLoader } from '~/routes/search'
import { SearchIcon } from './pipeline-board-icons'

type Item = { href: string; label: string; detail: string; group: 'organisations' | 'contacts' | 'deals' | 'all' }

/**
 * The top bar's search box. Without JavaScript: a GET form to /search. With it, a
 * combobox (WAI-ARIA 1.2 pattern, aria-activedescendant): results load as you type
 * (debounced), arrows move, Enter opens, Escape closes.
 */
export function GlobalSearch() {
  const t = useT()
  const fetcher = useFetcher<SearchLoader>()
  const navigate = useNavigate()
  const location = useLocation()
  const id = useId()
  const listId = `${id}-results`
  const [hydrated, setHydrated] = useState(false)
  const [q, setQ] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const blurTimer = useRef<ReturnType<typeof setTimeout>>()

  useEffect(() => setHydrated(true), [])
  // A page change closes the list (and a new search starts empty).
  useEffect(() => {
    setOpen(false)
    setActive(-1)
  }, [location.key])
  useEffect(() => {
    const term = q.trim()
    if (term.length < 2) return
    const timer = setTimeout(() => fetcher.load(`/search?q=${encodeURIComponent(term)}&apercu=1`), 250)
    return () => clearTimeout(timer)
    // fetcher is stable enough: only the text drives the loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q])

  const data = fetcher.data
  const items: Item[] = useMemo(() => {
    if (!data || q.trim().length < 2) return []
    return [
      ...data.organisations.map((o): Item => ({
        href: `/organisations/${o.id}`,
        label: o.name,
        detail: [o.city, o.siren].filter(Boolean).join(' · '),
        group: 'organisations',
      })),
      ...data.contacts.map((c): Item => ({
        href: `/contacts/${c.id}`,
        label: `${c.first_name} ${c.last_name}`,
        detail: c.organisation_name ?? c.emails[0] ?? '',
        group: 'contacts',
      })),
      ...data.deals.map((d): Item => ({ href: `/deals/${d.id}`, label: d.title, detail: d.organisation_name, group: 'deals' })),
      { href: `/search?q=${encodeURIComponent(q.trim())}`, label: t('search.allResults', { q: q.trim() }), detail: '', group: 'all' },
    ]
  }, [data, q, t])
  const expanded = hydrated && open && q.trim().length >= 2 && items.length > 0
  const go = (item: Item) => {
    setOpen(false)
    navigate(item.href)
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
        setActive(-1)
      } else {
        e.currentTarget.value = ''
        setQ('')
      }
    } else if (e.key === 'Enter' && expanded && active >= 0 && items[active]) {
      e.preventDefault()
      go(items[active])
    }
  }

  const groupLabel = { organisations: t('search.organisations'), contacts: t('search.contacts'), deals: t('search.deals'), all: '' }
  const optionId = (i: number) => `${id}-opt-${i}`
  const groups = (['organisations', 'contacts', 'deals', 'all'] as const)
    .map((g) => [g, items.map((item, i) => ({ item, i })).filter((e) => e.item.group === g)] as const)
    .filter(([, entries]) => entries.length > 0)

  return (
    <>
      {/* On phones the top bar has no room for a box: a link to the search page. */}
      <Link
        to="/search"
        className="ml-auto shrink-0 rounded-md p-2 text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 md:hidden"
      >
        <SearchIcon className="h-5 w-5" />
        <span className="sr-only">{t('search.title')}</span>
      </Link>
      <Form
        method="get"
        action="/search"
        role="search"
        className="relative ml-auto hidden min-w-[8rem] max-w-[15rem] flex-1 md:block 2xl:max-w-xs"
        onBlur={() => {
          blurTimer.current = setTimeout(() => setOpen(false), 150)
        }}
        onFocus={() => clearTimeout(blurTimer.current)}
      >
        <label htmlFor={`${id}-q`} className="sr-only">
          {t('search.label')}
        </label>
        <SearchIcon className="pointer-events-none absolute left-2.5 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-500" />
        <input
          id={`${id}-q`}
          name="q"
          type="search"
          autoComplete="off"
          placeholder={t('search.placeholder')}
          onChange={(e) => {
            setQ(e.target.value)
            setOpen(true)
            setActive(-1)
          }}
          onKeyDown={hydrated ? onKeyDown : undefined}
          {...(hydrated
            ? {
                role: 'combobox',
                'aria-autocomplete': 'list' as const,
                'aria-expanded': expanded,
                'aria-controls': listId,
                'aria-activedescendant': expanded && active >= 0 ? optionId(active) : undefined,
              }
            : {})}
          className="block w-full rounded-md border border-slate-300 bg-slate-50 py-1.5 pl-8 pr-3 text-sm text-slate-900 placeholder:text-slate-500 focus:border-indigo-600 focus:bg-white focus:outline-none focus:ring-2 focus:ring-indigo-600"
        />
        {hydrated ? (
          <div
            id={listId}
            role="listbox"
            aria-label={t('search.results')}
            hidden={!expanded}
            className="absolute right-0 z-40 mt-1 max-h-[70vh] w-[22rem] overflow-y-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
          >
            {groups.map(([group, entries]) => (
              <div key={group} role="group" aria-label={groupLabel[group] || undefined} className={group === 'all' ? 'border-t border-slate-100' : ''}>
                {groupLabel[group] ? (
                  <div aria-hidden="true" className="px-3 pb-1 pt-2 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
                    {groupLabel[group]}
                  </div>
                ) : null}
                {entries.map(({ item, i }) => (
                  // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/interactive-supports-focus -- a combobox option: the input keeps focus and handles the keys (aria-activedescendant), the click is the mouse path
                  <div
                    key={item.href}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === active}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => go(item)}
                    onMouseEnter={() => setActive(i)}
                    className={`cursor-pointer px-3 py-2 text-sm ${i === active ? 'bg-indigo-50' : ''}`}
                  >
                    <span className={`block ${item.group === 'all' ? 'font-medium text-indigo-800' : 'font-medium text-slate-900'}`}>{item.label}</span>
                    {item.detail ? <span className="block truncate text-xs text-slate-600">{item.detail}</span> : null}
                  </div>
                ))}
              </div>
            ))}
          </div>
        ) : null}
      </Form>
    </>
  )
}
