import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { findVisibleActivity } from '~/utils/activities.server'
import { notFound, requireUserForm } from '~/utils/auth.server'
import { readCheckInPosition, recordCheckIn } from '../../domain/crm/check-in'

// POST /activities/:id/check-in — "Je suis arrivé". Whoever may see the meeting may check
// in. With JavaScript the page posts the position it got (or why it got none) through a
// fetcher and shows the answer; without, the form posts no position and the page comes
// back with the time recorded (?arrivee=…).

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const found = await findVisibleActivity(auth, params.id ?? '')
  if (!found) throw notFound()
  const f = (k: string) => {
    const v = auth.form.get(k)
    return typeof v === 'string' ? v : null
  }
  const position = readCheckInPosition({ status: f('position_status'), latitude: f('latitude'), longitude: f('longitude'), accuracy: f('accuracy') })
  const checkIn = await recordCheckIn(context.runtime.db, {
    workspaceId: auth.user.workspaceId,
    activityId: found.activity.id,
    userId: auth.user.id,
    at: auth.now(),
    position,
  })
  const result = { at: checkIn.at.toISOString(), status: position.status, accuracyM: position.status === 'ok' ? Math.round(position.accuracyM) : null }
  if (f('js') === '1') return result
  return redirect(`/activities/${found.activity.id}?arrivee=${position.status}`)
}

export const loader = () => {
  throw new Response('not found', { status: 404 })
}
