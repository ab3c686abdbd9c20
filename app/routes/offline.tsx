import type { MetaFunction } from '@remix-run/node'
import { useRouteLoaderData } from '@remix-run/react'
import { useEffect, useState, type ReactNode } from 'react'
import { LinkButton } from '~/components/ui/button'
import type { loader as rootLoader } from '~/root'
import { useOfflineStore } from '~/offline/use-offline'
import { OfflineRecords } from '~/offline/views'
import { TouchGestures } from '~/offline/gestures'
import { finishPendingLogout } from '~/offline/pending-logout'

// The page the service worker (app/entry.worker.ts) shows when the network is gone. Its
// cached copy is rendered signed out, without loader: it must hold nobody's data and
// hydrate with no request. French only, like the rest of the offline experience for now.

export const meta: MetaFunction = () => [{ title: 'Hors ligne — Alforis CRM' }, { name: 'robots', content: 'noindex' }]

/** Where "Réessayer" leads: the page asked for (`?from=`, set by the service worker), same-origin paths only. */
function retryTarget(from: string | null): string {
  if (!from || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/\\') || from.startsWith('/offline')) return '/'
  return from
}

export default function Offline() {
  const signedIn = Boolean(useRouteLoaderData<typeof rootLoader>('root')?.user)
  // Read after hydration: the cached HTML was rendered for a bare /offline.
  const [target, setTarget] = useState('/')
  // The rep's working set kept on this device (app/offline/): their records, offline.
  const { set } = useOfflineStore()
  useEffect(() => {
    const to = retryTarget(new URLSearchParams(window.location.search).get('from'))
    setTarget(to)
    // Back online: carry on to that page once the server answers. The `online` event can
    // come before requests get through; a HEAD goes past the service worker's caches.
    let timer: ReturnType<typeof setTimeout> | undefined
    const probe = (attempt: number) => {
      fetch('/healthz', { method: 'HEAD', cache: 'no-store' }).then(
        // A sign-out made offline reaches the server before the page reloads (then on /login).
        () => finishPendingLogout().finally(() => window.location.assign(to)),
        () => {
          if (attempt < 6) timer = setTimeout(() => probe(attempt + 1), 500 * 2 ** attempt)
        },
      )
    }
    const back = () => {
      clearTimeout(timer)
      probe(0)
    }
    window.addEventListener('online', back)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('online', back)
    }
  }, [])

  const notice = (
    <div lang="fr" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
      <div className="flex items-center gap-3">
        <span aria-hidden="true" className="grid h-10 w-10 shrink-0 place-items-center rounded-lg bg-indigo-700 text-white">
          <OfflineIcon className="h-6 w-6" />
        </span>
        <p className="text-sm font-bold text-indigo-800">Alforis CRM</p>
      </div>
      <h1 className="mt-5 text-2xl font-bold tracking-tight text-slate-900">Vous êtes hors ligne</h1>
      <p className="mt-2 text-slate-700">
        Alforis CRM ne parvient pas à joindre le serveur. Vérifiez le Wi-Fi ou les données mobiles, puis réessayez : la page se rechargera d’elle-même dès le
        retour du réseau.
      </p>

      <h2 className="mt-6 text-base font-semibold text-slate-900">Ce qui fonctionne encore</h2>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700">
        <li>L’application installée s’ouvre sans réseau, sur cette page.</li>
        <li>Un onglet déjà ouvert garde ce qu’il affiche.</li>
        <li>
          Une fois connecté avec le réseau, vos comptes, affaires en cours, contacts et tâches du jour sont gardés sur l’appareil : vous pourrez les consulter
          et y ajouter des notes hors ligne.
        </li>
      </ul>

      <h2 className="mt-5 text-base font-semibold text-slate-900">Ce qui attend le retour du réseau</h2>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700">
        <li>
          Consulter les organisations, les affaires et le tableau de bord : pour protéger les données de vos clients, rien n’est conservé sur cet appareil.
        </li>
        <li>Enregistrer une modification : un formulaire envoyé hors ligne n’est pas enregistré.</li>
      </ul>

      <LinkButton to={target} reloadDocument className="mt-6 w-full sm:w-auto">
        Réessayer
      </LinkButton>
    </div>
  )
  if (set)
    return (
      <Frame signedIn={signedIn} wide>
        <OfflineRecords from={target} notice={notice} />
      </Frame>
    )
  return <Frame signedIn={signedIn}>{notice}</Frame>
}

/** Signed in and online, the app shell already holds the page's <main>. */
function Frame({ signedIn, wide = false, children }: { signedIn: boolean; wide?: boolean; children: ReactNode }) {
  const width = wide ? 'max-w-2xl' : 'max-w-lg'
  if (signedIn) return <div className={`mx-auto ${width}`}>{children}</div>
  // Signed out is how the cached copy renders: no app shell, so the swipe and pull gestures come from here.
  if (wide)
    return (
      <main id="main" className="min-h-screen bg-slate-50 px-4 py-4">
        <TouchGestures />
        <div className={`mx-auto w-full ${width}`}>{children}</div>
      </main>
    )
  return (
    <main id="main" className="flex min-h-screen items-center justify-center bg-gradient-to-br from-indigo-50 via-slate-50 to-white px-4 py-12">
      <div className={`w-full ${width}`}>{children}</div>
    </main>
  )
}

function OfflineIcon({ className }: { className?: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={className}
      aria-hidden="true"
    >
      <path d="M2 8.8a15 15 0 0 1 4.2-2.6M9.9 5.1A15 15 0 0 1 22 8.8M5 12.5a10 10 0 0 1 3.9-2.2M15.5 10.6A10 10 0 0 1 19 12.5M8.5 16a5 5 0 0 1 7 0M12 20h.01M3 3l18 18" />
    </svg>
  )
}
