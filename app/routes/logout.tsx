import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { requireUserForm } from '~/utils/auth.server'
import { destroySession } from '~/utils/session.server'

// POST only (with the CSRF token): a link or an image on another site cannot sign you out.
export async function action({ request, context }: ActionFunctionArgs) {
  await requireUserForm(request, context)
  const setCookie = await destroySession(context.runtime.db, request)
  throw redirect('/login', { headers: { 'Set-Cookie': setCookie } })
}

export const loader = () => redirect('/')
