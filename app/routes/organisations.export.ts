import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireUser } from '~/utils/auth.server'
import { csvResponse, exportFileName, xlsxResponse, type ExportColumn } from '~/utils/list-export.server'
import { formatPhone } from '../../domain/crm/contact-points'
import { parisDay } from '../../domain/shared/paris-time'
import { allOrganisations, type OrganisationRow } from '~/utils/list-query.server'
import { parseOrganisationList } from '~/utils/list-params.server'

// GET /organisations/export?format=xlsx|csv&<the list's filters>: every row the filtered
// list pages through, in its order, as this user may see it (capped at 100 000 rows).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  // XLSX by default: identifiers survive it (list-export.server.ts).
  const format = url.searchParams.get('format') ?? 'xlsx'
  if (format !== 'csv' && format !== 'xlsx') throw notFound()
  const list = parseOrganisationList(url)
  const t = auth.t
  const columns: ExportColumn<OrganisationRow>[] = [
    { header: t('org.name'), kind: 'text', value: (o) => o.name, width: 36 },
    { header: t('org.siren'), kind: 'text', value: (o) => o.siren, width: 12 },
    { header: t('org.siret'), kind: 'text', value: (o) => o.siret, width: 16 },
    { header: t('org.vat'), kind: 'text', value: (o) => o.vat_number, width: 16 },
    { header: t('org.address'), kind: 'text', value: (o) => o.address, width: 32 },
    { header: t('org.postalCode'), kind: 'text', value: (o) => o.postal_code, width: 10 },
    { header: t('org.city'), kind: 'text', value: (o) => o.city, width: 20 },
    { header: t('org.phone'), kind: 'text', value: (o) => (o.phone ? formatPhone(o.phone) : null), width: 16 },
    { header: t('org.email'), kind: 'text', value: (o) => o.email, width: 28 },
    { header: t('org.website'), kind: 'text', value: (o) => o.website, width: 28 },
    { header: t('org.sector'), kind: 'text', value: (o) => o.sector, width: 18 },
    { header: t('org.size'), kind: 'text', value: (o) => o.size, width: 8 },
    { header: t('org.status'), kind: 'text', value: (o) => t(`org.status.${o.status}`), width: 14 },
    { header: t('org.owner'), kind: 'text', value: (o) => o.owner_name ?? '' },
    { header: t('list.tags'), kind: 'text', value: (o) => o.tags.join(', ') },
    { header: t('list.createdAt'), kind: 'date', value: (o) => parisDay(o.created_at) },
  ]
  const rows = allOrganisations(auth, list)
  return format === 'csv'
    ? csvResponse(exportFileName('organisations', 'csv', context.runtime.now()), columns, rows)
    : xlsxResponse(exportFileName('organisations', 'xlsx', context.runtime.now()), t('list.sheetOrganisations'), columns, rows)
}
