import type { LoaderFunctionArgs } from '@remix-run/node'
import { forbidden, notFound, requireUser } from '~/utils/auth.server'
import { isUuid } from '~/utils/forms.server'
import { canAdminister } from '../../domain/identity/roles'

/**
 * GET /admin/mailbox/:id/attachments/:position — a file sent with an e-mail, as it was
 * sent, for the workspace's admins (the mailbox's readers). Always a download: the file
 * came from the app, but is never rendered inside it.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  if (!isUuid(params.id) || !/^\d{1,3}$/.test(params.position ?? '')) throw notFound()
  // The e-mail must belong to the session's workspace: the attachment is reached through it.
  const email = await auth.tenant.selectFrom('outbound_emails').select('id').where('id', '=', params.id).executeTakeFirst()
  if (!email) throw notFound()
  const file = await context.runtime.db
    .selectFrom('outbound_email_attachments')
    .select(['filename', 'content_type', 'content'])
    .where('email_id', '=', email.id)
    .where('position', '=', Number(params.position))
    .executeTakeFirst()
  if (!file) throw notFound()
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return new Response(new Uint8Array(file.content), {
    headers: {
      'Content-Type': file.content_type,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
