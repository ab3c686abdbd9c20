import { Form, Link, useFetcher } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useT } from '~/i18n/use-t'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { control } from './list-filters'

export type SavedFilter = { id: string; name: string; query: string }
type SaveResult = { ok: false; errors: Record<string, string> }

/**
 * This user's named filters for one list, as links; a form to save the current filters
 * under a name (the same name replaces), and one to delete each. Posts to /saved-filters:
 * a plain form round trip without JavaScript, a fetcher (the page stays) with it.
 */
export function SavedFilters({ entity, path, query, saved }: { entity: 'organisations' | 'deals'; path: string; query: string; saved: SavedFilter[] }) {
  const t = useT()
  const save = useFetcher<SaveResult>()
  const nameRef = useRef<HTMLInputElement>(null)
  const errors: Record<string, string> = save.data && !save.data.ok ? save.data.errors : {}
  // Saved (the action redirects back here, which reloads the list of filters): empty the name.
  useEffect(() => {
    if (save.state === 'idle' && !(save.data && !save.data.ok) && nameRef.current) nameRef.current.value = ''
  }, [save.state, save.data])
  const back = query ? `${path}?${query}` : path
  return (
    <section aria-labelledby={`saved-${entity}`} className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={`saved-${entity}`} className="text-sm font-semibold text-slate-900">
        {t('saved.title')}
      </h2>
      {saved.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">{t('saved.none')}</p>
      ) : (
        <ul className="mt-2 flex flex-wrap gap-2">
          {saved.map((f) => (
            <li key={f.id} className="inline-flex items-center rounded-full bg-indigo-50 ring-1 ring-inset ring-indigo-200">
              <Link
                to={f.query ? `${path}?${f.query}` : path}
                aria-current={f.query === query ? 'true' : undefined}
                className="rounded-l-full py-1 pl-3 pr-2 text-sm font-medium text-indigo-900 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 aria-[current=true]:underline"
              >
                {f.name}
              </Link>
              <Form method="post" action="/saved-filters" className="flex">
                <AuthenticityTokenInput />
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="id" value={f.id} />
                <input type="hidden" name="back" value={back} />
                <button
                  type="submit"
                  aria-label={t('saved.deleteLabel', { name: f.name })}
                  title={t('saved.delete')}
                  className="grid h-7 w-7 place-items-center rounded-full text-indigo-800 hover:bg-indigo-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  <span aria-hidden="true">×</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <save.Form method="post" action="/saved-filters" className="mt-3 flex flex-wrap items-end gap-2">
        <AuthenticityTokenInput />
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="entity" value={entity} />
        <input type="hidden" name="query" value={query} />
        <div className="min-w-0 flex-1 sm:max-w-xs">
          <label htmlFor={`saved-name-${entity}`} className="block text-sm font-medium text-slate-800">
            {t('saved.name')}
          </label>
          <input
            ref={nameRef}
            id={`saved-name-${entity}`}
            name="name"
            required
            maxLength={80}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? `saved-name-${entity}-error` : undefined}
            className={`${control} mt-1 ${errors.name ? 'border-red-600' : ''}`}
          />
        </div>
        <button
          type="submit"
          disabled={save.state !== 'idle'}
          className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        >
          {t('saved.save')}
        </button>
        {errors.name ? (
          <p id={`saved-name-${entity}-error`} className="w-full text-sm font-medium text-red-700">
            {errors.name}
          </p>
        ) : null}
      </save.Form>
    </section>
  )
}
