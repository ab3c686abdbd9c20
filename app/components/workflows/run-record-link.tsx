import { Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'

/** The record a run is about, as a link (deal or organisation page). */
export function RunRecordLink({ type, id }: { type: string | null; id: string | null }) {
  const t = useT()
  if (!type || !id) return <span>{t('common.none')}</span>
  const href = type === 'deal' ? `/deals/${id}` : `/organisations/${id}`
  return (
    <Link to={href} className="text-indigo-800 underline hover:no-underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
      {t('wfRun.openRecord')}
    </Link>
  )
}
