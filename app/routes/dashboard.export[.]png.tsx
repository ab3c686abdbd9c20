import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/utils/auth.server'
import { renderDashboardPng } from '~/utils/dashboard-pdf.server'
import { loadDashboard } from '~/utils/dashboard.server'
import { parisDay } from '../../domain/shared/paris-time'

/**
 * GET /dashboard/export.png?<filter>: the same document as the PDF, as one image.
 * Needs poppler's pdftoppm on the server; without it, a French 501 says so.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const model = await loadDashboard(context.runtime, auth, new URL(request.url))
  const png = await renderDashboardPng(model, auth.locale)
  if (!png) {
    return new Response(
      'L’export en image n’est pas disponible sur ce serveur (l’outil pdftoppm de poppler-utils n’y est pas installé). Utilisez l’export PDF.',
      {
        status: 501,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      },
    )
  }
  return new Response(new Uint8Array(png), {
    headers: {
      'Content-Type': 'image/png',
      'Content-Disposition': `attachment; filename="tableau-de-bord-${parisDay(model.generatedAt)}.png"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
