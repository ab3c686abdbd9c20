import type { LoaderFunctionArgs } from '@remix-run/node'
import { calendarFeed, feedBaseUrl } from '~/utils/calendar-feed.server'

// GET /calendar/<secret>.ics — the private iCalendar feed of one user's open tasks. No
// session: calendar apps fetch it on their own; the secret in the URL is the credential
// (settings/calendar shows it once and regenerates it). A wrong secret is a plain 404.
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const body = await calendarFeed(context.runtime.db, params.token ?? '', feedBaseUrl(request))
  if (body === null) return new Response('Not Found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="taches-alforis.ics"',
      // Private data behind a secret URL: no shared caches, no referrer leaks from it.
      'Cache-Control': 'private, max-age=300',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
    },
  })
}
