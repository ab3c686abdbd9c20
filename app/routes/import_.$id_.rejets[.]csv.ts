import type { LoaderFunctionArgs } from '@remix-run/node'
import { forbidden, notFound, requireUser } from '~/utils/auth.server'
import { isUuid } from '~/utils/forms.server'
import { canImport, isImportEntity, rejectedRowsCsv, rejectedRowsDownload, type StoredReport } from '~/utils/import.server'

// GET /import/<id>/rejets.csv — the rows the analysis refused, as they were in the file,
// with a "Motif du rejet" column: fix them in the spreadsheet and import that file again.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canImport(auth.actor)) throw forbidden()
  if (!isUuid(params.id)) throw notFound()
  const imp = await auth.tenant
    .selectFrom('imports')
    .select(['content', 'report', 'entity', 'file_name'])
    .where('imports.id', '=', params.id)
    .executeTakeFirst()
  if (!imp || !isImportEntity(imp.entity)) throw notFound()
  return rejectedRowsDownload(imp.file_name, rejectedRowsCsv(auth.locale, imp.content, imp.report as unknown as StoredReport))
}
