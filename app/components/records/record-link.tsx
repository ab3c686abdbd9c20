import { Link } from '@remix-run/react'
import { createContext, useContext, type ReactNode } from 'react'

// The record components render both online (Remix routes) and offline (the offline page,
// fed from IndexedDB). Offline, a client-side navigation would ask the server for loader
// data and fail; a full-document navigation instead reaches the service worker, which
// brings the offline page back with the asked-for record. The offline page sets this.
export const DocumentNavigation = createContext(false)

export function RecordLink({ to, className, children, rel }: { to: string; className?: string; children: ReactNode; rel?: string }) {
  const document = useContext(DocumentNavigation)
  return (
    <Link to={to} className={className} rel={rel} reloadDocument={document}>
      {children}
    </Link>
  )
}

/** "en attente": a change kept on the device until the network is back. */
export const PendingBadge = () => <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">en attente</span>
