import { useT } from '~/i18n/use-t'
import { Badge } from '../ui/badge'
import { MailIcon, PhoneIcon } from '../ui/icons'
import { RecordLink } from './record-link'

// What a contact's page shows, from plain data: the online route feeds it its loader, the
// offline page the rep's working set (app/offline/views.tsx).

export function ContactSubtitle({
  jobTitle,
  organisation,
  ownerName,
  shared = false,
  optedOut = false,
}: {
  jobTitle: string | null
  organisation: { id: string; name: string } | null
  ownerName: string | null
  shared?: boolean
  optedOut?: boolean
}) {
  const t = useT()
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      {jobTitle ? <span>{jobTitle}</span> : null}
      {organisation ? (
        <span>
          {jobTitle ? '· ' : ''}
          <RecordLink to={`/organisations/${organisation.id}`} className="font-medium text-indigo-800 hover:underline">
            {organisation.name}
          </RecordLink>
        </span>
      ) : null}
      <span>
        · {t('contact.owner')} : {ownerName ?? t('common.unassigned')}
      </span>
      {shared ? <Badge tone="indigo">{t('contact.sharedBadge')}</Badge> : null}
      {optedOut ? <Badge tone="amber">{t('contact.optOutBadge')}</Badge> : null}
    </span>
  )
}

const point =
  'flex items-center gap-3 rounded-md border border-slate-200 px-3 py-2.5 text-sm font-medium text-indigo-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'

/** Phones (tel:) and e-mails (mailto:) as large tappable rows. */
export function ContactPoints({ phones, emails }: { phones: { e164: string; display: string }[]; emails: string[] }) {
  const t = useT()
  if (emails.length === 0 && phones.length === 0) return <p className="text-sm text-slate-600">{t('contact.noDetails')}</p>
  return (
    <ul className="grid gap-2 sm:grid-cols-2">
      {phones.map((p) => (
        <li key={p.e164}>
          <a href={`tel:${p.e164}`} aria-label={t('contact.call', { number: p.display })} className={point}>
            <PhoneIcon className="h-5 w-5 flex-none text-slate-500" />
            <span className="tabular-nums">{p.display}</span>
          </a>
        </li>
      ))}
      {emails.map((e) => (
        <li key={e} className="min-w-0">
          <a href={`mailto:${e}`} aria-label={t('contact.write', { email: e })} className={point}>
            <MailIcon className="h-5 w-5 flex-none text-slate-500" />
            <span className="truncate">{e}</span>
          </a>
        </li>
      ))}
    </ul>
  )
}
