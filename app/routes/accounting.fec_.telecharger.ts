import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { forbidden, requireUser } from '~/utils/auth.server'
import { readFecRequest } from '~/utils/accounting-fec.server'
import { fecChunks, fecFileName } from '../../domain/accounting/fec'
import { canKeepAccounts } from '../../domain/accounting/permissions'

// GET /accounting/fec/telecharger?du=…&au=…&encodage=… — the FEC file itself (admins and
// finance). Checked first; anything wrong sends the reader back to the page, which says
// what. The body streams from a Postgres cursor, pulled as the client reads it.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canKeepAccounts(auth.actor)) throw forbidden()
  const url = new URL(request.url)
  const req = await readFecRequest(url, context.runtime.db, auth, context.runtime.now())
  if (req.kind !== 'ready') throw redirect(`/accounting/fec${url.search || '?'}`)
  const chunks = fecChunks(context.runtime.db, auth.user.workspaceId, req.period, { encoding: req.values.encodage })
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
  return new Response(body, {
    headers: {
      'Content-Type': `text/plain; charset=${req.values.encodage === 'utf8' ? 'utf-8' : 'iso-8859-15'}`,
      'Content-Disposition': `attachment; filename="${fecFileName(req.siren, req.period.end)}"`,
      'Cache-Control': 'no-store',
    },
  })
}
