import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { AppShell } from './components/app-shell'
import { LinkButton } from './components/ui/button'
import { makeT, toLocale, type Locale } from './i18n/i18n'
import { useT } from './i18n/use-t'
import { getAuth } from './utils/auth.server'
import { useNonce } from './utils/nonce'
import { unreadCount } from '../domain/notifications/notify'
import './tailwind.css'

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  // Installable PWA (docs/decisions/0005-pwa.md). Not remix-pwa's <ManifestLink>: it writes rel="webmanifest".
  { rel: 'manifest', href: '/manifest.webmanifest' },
  { rel: 'apple-touch-icon', href: '/icons/apple-touch-icon.png' },
]

export const meta: MetaFunction = () => [{ title: 'Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context)
  // Signed out: French unless the browser asks for English first.
  const locale: Locale = auth?.locale ?? toLocale(request.headers.get('Accept-Language')?.split(',')[0])
  return {
    locale,
    user: auth
      ? {
          fullName: auth.user.fullName,
          role: auth.user.role,
          teamId: auth.user.teamId,
          workspaceName: auth.user.workspaceName,
          // The bell's number (live updates come from /notifications/stream).
          unreadNotifications: await unreadCount(context.runtime.db, auth.user.workspaceId, auth.user.id),
        }
      : null,
    csrf: auth?.session.csrfToken ?? null,
  }
}

// Registers the service worker (docs/decisions/0005-pwa.md). Written here rather than
// injected by remix-pwa (registerSW: null in vite.config.ts) so it carries the CSP nonce.
const REGISTER_SERVICE_WORKER = `if ('serviceWorker' in navigator) {
  const register = () => navigator.serviceWorker.register('/entry.worker.js', { scope: '/', type: 'classic', updateViaCache: 'none' })
  if (document.readyState === 'complete' || document.readyState === 'interactive') register()
  else window.addEventListener('load', register)
}`

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const nonce = useNonce()
  return (
    <html lang={data?.locale ?? 'fr'} className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="theme-color" content="#4338ca" />
        {/* iPhone: full screen from the home screen, the name under the icon, a light status bar. */}
        <meta name="apple-mobile-web-app-capable" content="yes" />
        <meta name="mobile-web-app-capable" content="yes" />
        <meta name="apple-mobile-web-app-title" content="Alforis" />
        <meta name="apple-mobile-web-app-status-bar-style" content="default" />
        <Meta />
        <Links />
        {/* Without JavaScript, what only scripts can draw (charts) takes no room. */}
        <noscript>
          <style>{'.js-only{display:none!important}'}</style>
        </noscript>
        <script type="module" nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: REGISTER_SERVICE_WORKER }} />
      </head>
      <body className="h-full bg-slate-50 text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  const { user } = useLoaderData<typeof loader>()
  return user ? (
    <AppShell user={user}>
      <Outlet />
    </AppShell>
  ) : (
    <Outlet />
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const data = useRouteLoaderData<typeof loader>('root')
  const t = data ? makeT(data.locale) : makeT('fr')
  let title = t('errors.title')
  let text = t('errors.generic')
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) [title, text] = [t('errors.notFound'), t('errors.notFoundText')]
    else if (error.status === 403 && error.data === 'csrf') [title, text] = [t('errors.forbidden'), t('errors.csrf')]
    else if (error.status === 403) [title, text] = [t('errors.forbidden'), t('errors.forbiddenText')]
  } else if (error instanceof Error && typeof document !== 'undefined') {
    console.error(error) // on the server, entry.server's handleError has logged it already
  }
  const body = <ErrorPanel title={title} text={text} />
  return data?.user ? (
    <AppShell user={data.user}>{body}</AppShell>
  ) : (
    <main id="main" className="mx-auto max-w-xl p-6">
      {body}
    </main>
  )
}

function ErrorPanel({ title, text }: { title: string; text: string }) {
  const t = useT()
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-bold text-slate-900">{title}</h1>
      <p className="mt-2 text-slate-700">{text}</p>
      <LinkButton to="/" variant="secondary" className="mt-4">
        {t('errors.back')}
      </LinkButton>
    </div>
  )
}
