import { useEffect, useState, type ReactNode } from 'react'

/** True once React has hydrated: what only scripts can do (charts, drag-and-drop) waits for it. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

/**
 * The data table under a chart: open in the server's HTML (without JavaScript it is the
 * widget), folded once the chart has drawn — one click away, for screen readers too.
 */
export function DataDetails({ children, label }: { children: ReactNode; label: string }) {
  const hydrated = useHydrated()
  return (
    <details open={!hydrated} className="group mt-3">
      <summary className="cursor-pointer rounded text-sm font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
        {label}
      </summary>
      <div className="mt-2">{children}</div>
    </details>
  )
}
