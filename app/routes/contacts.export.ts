import type { LoaderFunctionArgs } from '@remix-run/node'
import { formatPhone } from '../../domain/crm/contact-points'
import { parisDay } from '../../domain/shared/paris-time'
import { notFound, requireUser } from '~/utils/auth.server'
import { allContacts, contactListQ, type ContactListRow } from '~/utils/contacts-list.server'
import { csvResponse, exportFileName, xlsxResponse, type ExportColumn } from '~/utils/list-export.server'

// GET /contacts/export?format=xlsx|csv&q=…: every contact the list shows this user (same
// search, same role scoping: contacts-list.server.ts), in its order, capped at 100 000
// rows. The headers are the ones the contacts import recognises, so the file goes back in.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  // XLSX by default: identifiers survive it (list-export.server.ts).
  const format = url.searchParams.get('format') ?? 'xlsx'
  if (format !== 'csv' && format !== 'xlsx') throw notFound()
  const t = auth.t
  const yesNo = (b: boolean) => (b ? t('list.yes') : t('list.no'))
  const columns: ExportColumn<ContactListRow>[] = [
    { header: t('contact.civility'), kind: 'text', value: (c) => c.civility, width: 8 },
    { header: t('contact.firstName'), kind: 'text', value: (c) => c.first_name, width: 18 },
    { header: t('contact.lastName'), kind: 'text', value: (c) => c.last_name, width: 20 },
    { header: t('contact.jobTitle'), kind: 'text', value: (c) => c.job_title, width: 24 },
    { header: t('contact.email'), kind: 'text', value: (c) => c.emails.join(', '), width: 30 },
    { header: t('contact.phone'), kind: 'text', value: (c) => c.phones.map(formatPhone).join(', '), width: 18 },
    { header: t('contact.organisation'), kind: 'text', value: (c) => c.organisation_name, width: 30 },
    { header: t('org.siren'), kind: 'text', value: (c) => c.organisation_siren, width: 12 },
    { header: t('list.ownerEmail'), kind: 'text', value: (c) => c.owner_email, width: 26 },
    { header: t('list.gdprConsent'), kind: 'text', value: (c) => yesNo(c.gdpr_consent), width: 10 },
    { header: t('list.consentSource'), kind: 'text', value: (c) => c.consent_source, width: 20 },
    { header: t('list.marketingOptOut'), kind: 'text', value: (c) => yesNo(c.marketing_opt_out), width: 10 },
    { header: t('list.createdAt'), kind: 'date', value: (c) => parisDay(c.created_at) },
  ]
  const rows = allContacts(auth, contactListQ(url))
  return format === 'csv'
    ? csvResponse(exportFileName('contacts', 'csv', context.runtime.now()), columns, rows)
    : xlsxResponse(exportFileName('contacts', 'xlsx', context.runtime.now()), t('list.sheetContacts'), columns, rows)
}
