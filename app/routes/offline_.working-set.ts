import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/utils/auth.server'
import { buildWorkingSet } from '~/utils/working-set.server'

// GET /offline/working-set: the signed-in rep's offline working set (app/offline/), as
// JSON for the page's script. Signed out it redirects to /login like every page; the
// script reads that as "no session" and shows nothing from the device.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const set = await buildWorkingSet(auth)
  // Private and never stored by the browser's HTTP cache or the service worker.
  return Response.json(set, { headers: { 'Cache-Control': 'private, no-store' } })
}
