import { data, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { changeLayoutCommand, resetLayoutCommand } from '../../domain/dashboards/dashboards.commands'
import { loadUserLayout } from '../../domain/dashboards/dashboards.repository'
import { DomainError } from '../../domain/shared/errors'
import { errorText } from '~/i18n/errors'
import { changeOfPost, type LayoutResult } from '~/components/dashboard/use-layout-saver'
import { requireUserForm } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { field, parseForm } from '~/utils/form-schema.server'
import { commandIdOf } from '~/utils/forms.server'
import { z } from 'zod'

export const loader = () => redirect('/')

/** What the editor posts: the change asked for (read by changeOfPost) and the layout version it was made on. */
const layoutPostSchema = z.object({
  // A missing or malformed version is refused, never read as 0 (which could overwrite a newer layout's order).
  version: z
    .string({ required_error: 'form.invalid' })
    .trim()
    .regex(/^\d{1,9}$/, 'form.invalid')
    .transform(Number),
  action: field.text(),
  widgetId: field.optionalText(),
  order: field.text(),
})

/**
 * Changes the signed-in user's own dashboard layout — only theirs: the layout is found
 * by the session's user and workspace, never by an id from the form. Posted by the
 * editor's plain forms (then back to the dashboard) and by its scripts (`js=1`: JSON).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const { form } = auth
  const js = form.get('js') === '1'
  const returnTo = safeRedirectTo(form.get('returnTo'), '/?personnaliser=1')
  const fail = (status: number, message: string) => {
    // A stale version here is the user's own other tab, not "someone else".
    if (js) return data<LayoutResult>({ ok: false, message: status === 409 ? auth.t('dash.error.conflict') : message }, { status })
    // Back to the editor with a code (never free text in a URL) the page explains.
    const u = new URL(returnTo, 'http://x')
    u.searchParams.set('erreur', status === 409 ? 'conflit' : status === 404 ? 'absent' : 'invalide')
    throw redirect(u.pathname + u.search)
  }
  const parsed = parseForm(form, layoutPostSchema, auth)
  if (!parsed.ok) return fail(400, auth.t('errors.generic'))
  const { version: expectedVersion, action, widgetId, order } = parsed.value
  const change = changeOfPost({ action, widgetId: widgetId ?? undefined, order })
  if (!change) return fail(400, auth.t('errors.generic'))
  // A widget added without a script gets its id here.
  if (change !== 'reset' && change.op === 'add' && !change.widgetId) change.widgetId = randomUUID()
  const ctx = auth.ctx(commandIdOf(form))
  const db = context.runtime.db
  try {
    if (change === 'reset') await resetLayoutCommand(db, ctx, { role: auth.user.role, expectedVersion })
    else await changeLayoutCommand(db, ctx, { role: auth.user.role, expectedVersion, change })
  } catch (e) {
    if (e instanceof DomainError) return fail(e.status, errorText(auth.locale, e))
    throw e
  }
  if (!js) throw redirect(returnTo)
  const layout = await loadUserLayout(db, auth.user.workspaceId, auth.user.id, auth.user.role)
  return data<LayoutResult>({ ok: true, version: layout.version, widgets: layout.widgets })
}
