import { Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { MailIcon, PhoneIcon } from './ui/icons'

export type QuickActionLinks = {
  newDeal?: string | null
  newTask?: string | null
  newQuote?: string | null
  /** E.164 number for tel:, with how people read it. */
  phone?: { e164: string; display: string } | null
  email?: string | null
}

const action =
  'inline-flex min-h-[44px] items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'

/** The record's shortcuts: only those that lead somewhere are shown (no dead buttons). */
export function RecordQuickActions({ links }: { links: QuickActionLinks }) {
  const t = useT()
  return (
    <nav aria-label={t('record.quickActions')} className="mb-6">
      <ul className="flex flex-wrap gap-2">
        {links.newDeal ? (
          <li>
            <Link to={links.newDeal} className={action}>
              {t('record.newDeal')}
            </Link>
          </li>
        ) : null}
        {links.newTask ? (
          <li>
            <Link to={links.newTask} className={action}>
              {t('record.newTask')}
            </Link>
          </li>
        ) : null}
        {links.phone ? (
          <li>
            <a href={`tel:${links.phone.e164}`} className={action} title={links.phone.display}>
              <PhoneIcon className="h-4 w-4 text-slate-500" />
              {t('record.call')}
            </a>
          </li>
        ) : null}
        {links.email ? (
          <li>
            <a href={`mailto:${links.email}`} className={action} title={links.email}>
              <MailIcon className="h-4 w-4 text-slate-500" />
              {t('record.email')}
            </a>
          </li>
        ) : null}
        {links.newQuote ? (
          <li>
            <Link to={links.newQuote} className={action}>
              {t('record.newQuote')}
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  )
}

/** Tags as small badges, or a quiet "none". */
export function TagList({ tags }: { tags: string[] }) {
  const t = useT()
  if (!tags.length) return <p className="text-sm text-slate-600">{t('record.noTags')}</p>
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label={t('record.tags')}>
      {tags.map((tag) => (
        <li key={tag} className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-800 ring-1 ring-inset ring-indigo-300">
          {tag}
        </li>
      ))}
    </ul>
  )
}
