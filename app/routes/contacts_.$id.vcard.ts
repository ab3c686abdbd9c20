import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireUser } from '~/utils/auth.server'
import { findVisibleContact } from '~/utils/contacts.server'
import { appUrl } from '../../domain/shared/app-url'
import { toVCard, vCardFileName } from '../../domain/crm/vcard'

// GET /contacts/:id/vcard — the contact as a .vcf file for a phone's address book (the
// "Partager" button shares it as a file; the link downloads it without JavaScript).
// Private: whoever may see the contact, never cached.

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const c = await findVisibleContact(auth, params.id ?? '')
  if (!c) throw notFound()
  const card = toVCard({
    civility: c.civility,
    firstName: c.first_name,
    lastName: c.last_name,
    jobTitle: c.job_title,
    organisation: c.organisation_name,
    emails: c.emails,
    phones: c.phones,
    url: `${appUrl(new URL(request.url).origin)}/contacts/${c.id}`,
    updatedAt: c.updated_at,
  })
  const name = vCardFileName({ firstName: c.first_name, lastName: c.last_name })
  return new Response(card, {
    headers: {
      'Content-Type': 'text/vcard; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
