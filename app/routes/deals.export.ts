import type { LoaderFunctionArgs } from '@remix-run/node'
import { loadStages } from '../../domain/crm/crm.repository'
import { notFound, requireUser } from '~/utils/auth.server'
import { csvResponse, exportFileName, xlsxResponse, type ExportColumn } from '~/utils/list-export.server'
import { parisDay } from '../../domain/shared/paris-time'
import { allDeals, type DealRow } from '~/utils/list-query.server'
import { parseDealList } from '~/utils/list-params.server'

// GET /deals/export?format=xlsx|csv&<the list's filters>: every row the filtered list
// pages through, in its order, as this user may see it (capped at 100 000 rows).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  // XLSX by default: identifiers survive it (list-export.server.ts).
  const format = url.searchParams.get('format') ?? 'xlsx'
  if (format !== 'csv' && format !== 'xlsx') throw notFound()
  const stages = await loadStages(auth.tenant.db, auth.user.workspaceId)
  const list = parseDealList(url, stages)
  const t = auth.t
  const stageLabel = new Map(stages.map((s) => [s.code, s.label]))
  const columns: ExportColumn<DealRow>[] = [
    { header: t('deal.title'), kind: 'text', value: (d) => d.title, width: 40 },
    { header: t('deal.organisation'), kind: 'text', value: (d) => d.organisation_name, width: 32 },
    { header: t('deal.stage'), kind: 'text', value: (d) => stageLabel.get(d.stage) ?? d.stage, width: 16 },
    { header: t('deal.amount'), kind: 'euros', value: (d) => d.amount_cents, width: 16 },
    { header: `${t('deal.probability')} (%)`, kind: 'integer', value: (d) => d.probability },
    { header: t('deal.expectedClose'), kind: 'date', value: (d) => d.expected_close_date },
    { header: t('deal.owner'), kind: 'text', value: (d) => d.owner_name ?? '' },
    { header: t('list.category'), kind: 'text', value: (d) => d.category, width: 16 },
    { header: t('list.source'), kind: 'text', value: (d) => d.source, width: 20 },
    { header: t('list.region'), kind: 'text', value: (d) => d.region, width: 20 },
    { header: t('list.createdAt'), kind: 'date', value: (d) => parisDay(d.created_at) },
  ]
  const rows = allDeals(auth, list, stages)
  const base = auth.locale === 'en' ? 'deals' : 'affaires'
  return format === 'csv'
    ? csvResponse(exportFileName(base, 'csv', context.runtime.now()), columns, rows)
    : xlsxResponse(exportFileName(base, 'xlsx', context.runtime.now()), t('list.sheetDeals'), columns, rows)
}
