import type { LoaderFunctionArgs } from '@remix-run/node'
import type { MessageKey } from '~/i18n/i18n'
import { loadReport } from '../../domain/reports/report.repository'
import { notFound, requireUser } from '~/utils/auth.server'
import { isUuid } from '~/utils/forms.server'
import { csvResponse, exportFileName, xlsxResponse, type ExportColumn } from '~/utils/list-export.server'
import { defaultSpec, reportView, specFromUrl, todayOf, type LabelledRow } from '~/utils/reports.server'

// GET /reports/:id/export?format=csv|xlsx&…spec: the rows the screen shows (same spec, same
// viewer scope). CSV for French Excel (`;`, BOM, decimal comma, labels kept as text); XLSX
// with numbers as numbers.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const format = url.searchParams.get('format') ?? 'xlsx'
  if (format !== 'csv' && format !== 'xlsx') throw notFound()
  const id = params.id ?? ''
  const saved = id === 'nouveau' ? null : isUuid(id) ? await loadReport(context.runtime.db, auth.actor, id) : null
  if (id !== 'nouveau' && !saved) throw notFound()
  const today = todayOf(auth)
  const view = await reportView(context.runtime, auth, specFromUrl(url, today, saved?.spec ?? defaultSpec(today)))
  if (!view.rows) return new Response(Object.values(view.errors).join('\n'), { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const columns: ExportColumn<LabelledRow>[] = [
    ...view.dimensions.map((d, i) => ({ header: d.label, kind: 'text' as const, value: (r: LabelledRow) => r.labels[i] })),
    ...view.metrics.map((m) => ({
      header: m.unit === 'ratio' ? `${m.label} (%)` : m.label,
      kind:
        m.unit === 'cents' ? ('euros' as const) : m.unit === 'ratio' ? ('percent' as const) : m.unit === 'days' ? ('decimal' as const) : ('integer' as const),
      value: (r: LabelledRow) => r.values[m.key],
    })),
  ]
  async function* batches() {
    yield view.rows!
  }
  const base = (saved?.name ?? auth.t('report.list' as MessageKey)).replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase()
  const now = auth.now()
  return format === 'csv'
    ? csvResponse(exportFileName(base, 'csv', now), columns, batches())
    : xlsxResponse(exportFileName(base, 'xlsx', now), auth.t('report.results'), columns, batches())
}
