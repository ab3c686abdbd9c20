import { redirect, type AppLoadContext } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { forWorkspace, type TenantDb } from '../../db/tenant'
import type { Role } from '../../db/schema'
import type { Actor } from '../../domain/identity/roles'
import type { CommandContext } from '../../domain/shared/events'
import { makeT, toLocale, type Locale, type TFunction } from '../i18n/i18n'
import { assertCsrf, assertSameOrigin } from './csrf.server'
import { loadSession, type SessionRow } from './session.server'

export type SignedInUser = {
  id: string
  email: string
  fullName: string
  role: Role
  teamId: string | null
  locale: Locale
  workspaceId: string
  workspaceName: string
}

/** What every loader and action of a signed-in page works with. */
export type Auth = {
  user: SignedInUser
  actor: Actor
  session: SessionRow
  /** Reads, already filtered on the session's workspace. */
  tenant: TenantDb
  locale: Locale
  t: TFunction
  requestId: string
  /** The CommandContext for domain commands: the session's workspace, this user. */
  ctx(commandId?: string): CommandContext
  /** The runtime's clock: what "now" and "today" mean for this request. */
  now(): Date
}

// Root and route loaders of one request share the Request object: look the session up once.
const cache = new WeakMap<Request, Promise<Auth | null>>()

/** The signed-in user of this request, or null. */
export function getAuth(request: Request, context: AppLoadContext): Promise<Auth | null> {
  let pending = cache.get(request)
  if (!pending) {
    pending = loadAuth(request, context)
    cache.set(request, pending)
  }
  return pending
}

async function loadAuth(request: Request, context: AppLoadContext): Promise<Auth | null> {
  const db = context.runtime.db
  const session = await loadSession(db, request)
  if (!session) return null
  const row = await db
    .selectFrom('users')
    .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .select([
      'users.id',
      'users.email',
      'users.full_name',
      'users.role',
      'users.team_id',
      'users.locale',
      'users.workspace_id',
      'workspaces.name as workspace_name',
    ])
    .where('users.id', '=', session.userId)
    // The session's workspace must still be the user's: the row, not the cookie, decides.
    .where('users.workspace_id', '=', session.workspaceId)
    .where('users.active', '=', true)
    .executeTakeFirst()
  if (!row) return null
  const locale = toLocale(row.locale)
  const user: SignedInUser = {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    role: row.role,
    teamId: row.team_id,
    locale,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
  }
  const requestId = request.headers.get('X-Request-Id')?.slice(0, 100) || randomUUID()
  return {
    user,
    actor: { id: user.id, workspaceId: user.workspaceId, role: user.role, teamId: user.teamId },
    session,
    tenant: forWorkspace(db, user.workspaceId),
    locale,
    t: makeT(locale),
    requestId,
    ctx: (commandId) => ({ workspaceId: user.workspaceId, actorId: user.id, now: context.runtime.now(), requestId, commandId, source: 'web' }),
    now: context.runtime.now,
  }
}

/** The reader's language, signed in or not: the user's, else French unless the browser asks for English first (as the root loader). */
export async function readerLocale(request: Request, context: AppLoadContext): Promise<Locale> {
  return (await getAuth(request, context))?.locale ?? toLocale(request.headers.get('Accept-Language')?.split(',')[0])
}

/**
 * The signed-in user, or a redirect to the login page that comes back here. For
 * non-GET requests it also refuses cross-site posts (Origin / Sec-Fetch-Site).
 */
export async function requireUser(request: Request, context: AppLoadContext): Promise<Auth> {
  assertSameOrigin(request)
  const auth = await getAuth(request, context)
  if (!auth) {
    const url = new URL(request.url)
    // Single fetch asks for "/deals.data": send the user back to the page, not the data.
    url.pathname = url.pathname.replace(/\.data$/, '') || '/'
    url.searchParams.delete('_routes')
    const back = url.pathname === '/' && !url.search ? '' : `?redirectTo=${encodeURIComponent(url.pathname + url.search)}`
    throw redirect(`/login${back}`)
  }
  return auth
}

/** For actions: the user plus the posted form, its CSRF token already checked. */
export async function requireUserForm(request: Request, context: AppLoadContext): Promise<Auth & { form: FormData }> {
  const auth = await requireUser(request, context)
  const form = await request.formData()
  assertCsrf(form, auth.session)
  return { ...auth, form }
}

export const forbidden = () => new Response('forbidden', { status: 403, statusText: 'Forbidden' })
export const notFound = () => new Response('not found', { status: 404, statusText: 'Not Found' })
