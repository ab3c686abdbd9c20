import { type LoaderFunctionArgs } from '@remix-run/node'
import { forbidden, requireUser } from '~/utils/auth.server'
import { canKeepAccounts } from '../../domain/accounting/permissions'
import { invoicesWorkbook } from '../../domain/accounting/xlsx-export'

// GET /accounting/factures.xlsx?debut=AAAA-MM-JJ&fin=AAAA-MM-JJ — the invoices and
// payments of a period as an Excel workbook (admins and finance; the session's workspace).
// A missing or impossible period is a 400 that says why, in French.

const DAY = /^\d{4}-\d{2}-\d{2}$/
const isDay = (v: string | null): v is string =>
  !!v && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canKeepAccounts(auth.actor)) throw forbidden()
  const url = new URL(request.url)
  const start = url.searchParams.get('debut')
  const end = url.searchParams.get('fin')
  const refuse = (why: string) => new Response(why, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  if (!isDay(start) || !isDay(end)) return refuse('Indiquez une date de début et une date de fin valides (JJ/MM/AAAA).')
  if (start > end) return refuse('La date de début doit précéder la date de fin.')
  const bytes = await invoicesWorkbook(context.runtime.db, auth.user.workspaceId, { start, end })
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="factures-reglements-${start}-${end}.xlsx"`,
      'Cache-Control': 'no-store',
    },
  })
}
