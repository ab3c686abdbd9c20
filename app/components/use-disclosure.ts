import { useLocation } from '@remix-run/react'
import { useEffect, useRef } from 'react'

/**
 * A <details> menu opens and closes without JavaScript; with it, this closes it as a
 * menu should: after a client-side navigation (the shell stays mounted, so it would
 * stay open), on a click outside, and on Escape (focus back on its summary).
 */
export function useDisclosure() {
  const ref = useRef<HTMLDetailsElement>(null)
  const { key } = useLocation()
  useEffect(() => {
    if (ref.current) ref.current.open = false
  }, [key])
  useEffect(() => {
    const onPointerDown = (e: PointerEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false
    }
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !ref.current?.open) return
      ref.current.open = false
      ref.current.querySelector('summary')?.focus()
    }
    document.addEventListener('pointerdown', onPointerDown)
    document.addEventListener('keydown', onKeyDown)
    return () => {
      document.removeEventListener('pointerdown', onPointerDown)
      document.removeEventListener('keydown', onKeyDown)
    }
  }, [])
  return ref
}
