import type { ActionFunctionArgs } from '@remix-run/node'
import { requireUserForm } from '~/utils/auth.server'
import { commandIdOf } from '~/utils/forms.server'
import { applyChange, parseChange } from '~/utils/offline-sync.server'

// POST /offline/sync: one queued offline change (app/offline/replay.ts), as a form with the
// session's CSRF token, its command id and the change as JSON. Answers JSON (see
// app/utils/offline-sync.server.ts): 200 ok, 409 conflict with the record's current
// version, 4xx rejected with the reason in the rep's language.
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const commandId = commandIdOf(auth.form)
  let change = null
  try {
    change = parseChange(JSON.parse(String(auth.form.get('change') ?? '')))
  } catch {
    change = null
  }
  const headers = { 'Cache-Control': 'private, no-store' }
  if (!commandId || !change) return Response.json({ status: 'rejected', message: auth.t('errors.generic') }, { status: 400, headers })
  const { status, body } = await applyChange(auth, commandId, change)
  return Response.json(body, { status, headers })
}

export const loader = () => new Response('Méthode non autorisée', { status: 405, headers: { Allow: 'POST' } })
