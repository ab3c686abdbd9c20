import type { MetaFunction } from '@remix-run/node'

// Any address no other route claims. Without this route, Remix renders its 404 without
// running the root loader, so the error page had no navigation; matched here, the root
// loader runs (who is signed in) and root's ErrorBoundary draws the app's layout around
// "Page introuvable" and its link back.
export const meta: MetaFunction = () => [{ title: 'Page introuvable — Alforis CRM' }]

export function loader(): never {
  throw new Response('Page introuvable', { status: 404 })
}

export default function NotFound() {
  return null
}
