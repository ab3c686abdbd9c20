import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/utils/auth.server'
import { renderDashboardPdf } from '~/utils/dashboard-pdf.server'
import { loadDashboard } from '~/utils/dashboard.server'
import { parisDay } from '../../domain/shared/paris-time'

/** GET /dashboard/export.pdf?<the dashboard's filter>: the viewer's dashboard as an A4 PDF, same figures as the screen. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const model = await loadDashboard(context.runtime, auth, new URL(request.url))
  const pdf = await renderDashboardPdf(model, auth.locale)
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="tableau-de-bord-${parisDay(model.generatedAt)}.pdf"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
