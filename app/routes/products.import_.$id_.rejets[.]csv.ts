import type { LoaderFunctionArgs } from '@remix-run/node'
import { PRODUCT_IMPORT_ENTITY } from '../../domain/sales/product-import'
import { forbidden, notFound, requireUser } from '~/utils/auth.server'
import { isUuid } from '~/utils/forms.server'
import { rejectedRowsCsv, rejectedRowsDownload, type StoredReport } from '~/utils/import.server'
import { canManageProducts } from '~/utils/products.server'

// GET /products/import/<id>/rejets.csv — the catalogue rows the analysis refused, with the reason.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageProducts(auth.actor)) throw forbidden()
  if (!isUuid(params.id)) throw notFound()
  const imp = await auth.tenant
    .selectFrom('imports')
    .select(['content', 'report', 'file_name'])
    .where('imports.id', '=', params.id)
    .where('imports.entity', '=', PRODUCT_IMPORT_ENTITY)
    .executeTakeFirst()
  if (!imp) throw notFound()
  return rejectedRowsDownload(imp.file_name, rejectedRowsCsv(auth.locale, imp.content, imp.report as unknown as StoredReport))
}
