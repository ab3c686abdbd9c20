import { Link, useLocation } from '@remix-run/react'
import { useT } from '~/i18n/use-t'

/** Previous / next links keeping the other query parameters (search, filters). */
export function Pagination({ page, hasNext }: { page: number; hasNext: boolean }) {
  const t = useT()
  const location = useLocation()
  const href = (p: number) => {
    const params = new URLSearchParams(location.search)
    if (p <= 1) params.delete('page')
    else params.set('page', String(p))
    const qs = params.toString()
    return qs ? `?${qs}` : location.pathname
  }
  if (page <= 1 && !hasNext) return null
  const link = 'rounded-md px-3 py-2 text-sm font-medium text-indigo-800 ring-1 ring-inset ring-slate-300 bg-white hover:bg-slate-50'
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between">
      {page > 1 ? (
        <Link className={link} to={href(page - 1)} rel="prev">
          ← {t('common.previous')}
        </Link>
      ) : (
        <span />
      )}
      <span className="text-sm text-slate-600">{t('common.page', { page })}</span>
      {hasNext ? (
        <Link className={link} to={href(page + 1)} rel="next">
          {t('common.next')} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  )
}
