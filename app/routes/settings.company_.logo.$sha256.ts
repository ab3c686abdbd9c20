import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireUser } from '~/utils/auth.server'
import { loadCompanyLogo } from '../../domain/sales/company-settings'

/**
 * GET /settings/company/logo/:sha256 — a logo of the signed-in user's workspace (any
 * role: quotes show it). Addressed by its content hash, so it can be cached for good.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const sha = params.sha256 ?? ''
  if (!/^[0-9a-f]{64}$/.test(sha)) throw notFound()
  const logo = await loadCompanyLogo(context.runtime.db, auth.user.workspaceId, sha)
  if (!logo) throw notFound()
  return new Response(new Uint8Array(logo.bytes), {
    headers: { 'Content-Type': logo.content_type, 'Cache-Control': 'private, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' },
  })
}
