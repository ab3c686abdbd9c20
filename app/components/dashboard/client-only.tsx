import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react'

/** True once React has hydrated: what only scripts can do (charts, drag-and-drop) waits for it. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

/**
 * True once the element has come near the viewport (and stays true). The charts' library
 * (Tremor and recharts, ~850 KB of script) loads only then: evaluating it right after
 * hydration blocked the dashboard's main thread for about a second on a phone, for a
 * chart often below the fold.
 */
export function useNearViewport<T extends Element>(): [RefObject<T>, boolean] {
  const ref = useRef<T>(null)
  const [near, setNear] = useState(false)
  useEffect(() => {
    const el = ref.current
    if (near || !el) return
    if (typeof IntersectionObserver !== 'function') {
      setNear(true)
      return
    }
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setNear(true)
        io.disconnect()
      }
    })
    io.observe(el)
    return () => io.disconnect()
  }, [near])
  return [ref, near]
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
