import type { ReactNode } from 'react'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'
import { TagList } from '../record-quick-actions'
import { Badge, STATUS_TONE, StageBadge } from '../ui/badge'
import { PendingBadge, RecordLink } from './record-link'

// What an organisation's page shows, from plain data: the online route feeds it its loader's
// rows, the offline page the rep's working set in IndexedDB (app/offline/views.tsx).

export type OrganisationStatus = keyof typeof STATUS_TONE

export function OrganisationSubtitle({
  status,
  statusManual = false,
  siren,
  city,
  ownerName,
}: {
  status: OrganisationStatus
  statusManual?: boolean
  siren: string | null
  city: string | null
  ownerName: string | null
}) {
  const t = useT()
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Badge tone={STATUS_TONE[status]}>{t(`org.status.${status}`)}</Badge>
      {statusManual ? <span className="text-xs text-slate-600">({t('org.statusManual')})</span> : null}
      {siren ? <span>SIREN {siren}</span> : null}
      {city ? <span>· {city}</span> : null}
      <span>
        · {t('org.owner')} : {ownerName ?? t('common.unassigned')}
      </span>
    </span>
  )
}

/** The values as the edit form shows them (strings, '' when empty). */
export type OrganisationDetailValues = {
  name: string
  siren: string
  siret: string
  vat_number: string
  address: string
  postal_code: string
  city: string
  sector: string
  size: string
  phone: string
}

export function OrganisationDetails({
  values,
  ownerName,
  phone,
  email,
  website,
}: {
  values: OrganisationDetailValues
  ownerName: string | null
  phone: string | null
  email: string | null
  website: string | null
}) {
  const t = useT()
  const link = 'font-medium text-indigo-800 underline hover:no-underline'
  const rows: [string, ReactNode][] = [
    [t('org.name'), values.name],
    [t('org.siren'), values.siren],
    [t('org.siret'), values.siret],
    [t('org.vat'), values.vat_number],
    [t('org.address'), [values.address, values.postal_code, values.city].filter(Boolean).join(', ')],
    [
      t('org.phone'),
      phone ? (
        <a href={`tel:${phone}`} className={link}>
          {values.phone}
        </a>
      ) : null,
    ],
    [
      t('org.email'),
      email ? (
        <a href={`mailto:${email}`} className={link}>
          {email}
        </a>
      ) : null,
    ],
    [
      t('org.website'),
      website ? (
        <a href={website} className={link} target="_blank" rel="noopener noreferrer">
          {website.replace(/^https?:\/\//, '').replace(/\/$/, '')}
        </a>
      ) : null,
    ],
    [t('org.sector'), values.sector],
    [t('org.size'), values.size],
    [t('org.owner'), ownerName ?? t('common.unassigned')],
  ]
  return (
    <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
      {rows.map(([k, v]) => (
        <div key={k} className="min-w-0">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{k}</dt>
          <dd className="break-words text-sm text-slate-900">{v || t('common.none')}</dd>
        </div>
      ))}
    </dl>
  )
}

export type DealLine = {
  id: string
  title: string
  amount_cents: number | string
  stageLabel: string
  stageKind: 'open' | 'won' | 'lost' | undefined
  pending?: boolean
}

/** The deals of an organisation or a contact: title, stage and amount. */
export function DealLines({ deals }: { deals: DealLine[] }) {
  const t = useT()
  if (deals.length === 0) return <p className="text-sm text-slate-600">{t('org.noDeals')}</p>
  return (
    <ul className="divide-y divide-slate-100">
      {deals.map((d) => (
        <li key={d.id} className="py-2">
          <RecordLink to={`/deals/${d.id}`} className="font-medium text-indigo-800 hover:underline">
            {d.title}
          </RecordLink>
          {d.pending ? <PendingBadge /> : null}
          <div className="mt-1 flex items-center gap-2 text-xs text-slate-700">
            <StageBadge label={d.stageLabel} kind={d.stageKind} />
            <span className="tabular-nums">{formatEuros(Number(d.amount_cents))}</span>
          </div>
        </li>
      ))}
    </ul>
  )
}

/** The "Étiquettes et notes" card's content, for an organisation or a contact. */
export function TagsAndNotes({ tags, notes }: { tags: string[]; notes: string | null }) {
  const t = useT()
  return (
    <>
      <TagList tags={tags} />
      <h3 className="mt-4 text-xs font-medium uppercase tracking-wide text-slate-600">{t('record.notes')}</h3>
      {notes ? (
        <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-900">{notes}</p>
      ) : (
        <p className="mt-1 text-sm text-slate-600">{t('record.noNotes')}</p>
      )}
    </>
  )
}
