import { useRevalidator } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { replayQueue } from './replay'

// Touch shortcuts of the phone shell, each doing exactly what a visible button does:
// - swipe a row marked `data-swipe` to the right → clicks its `[data-swipe-action]`
//   button (a task's "Terminer"), which keyboard and screen-reader users press directly;
// - pull the page down from the top → reloads the page's data and sends the offline queue
//   (the browser's reload does the same).

const SWIPE_DONE = 96
const PULL_DONE = 90

export function TouchGestures() {
  const revalidator = useRevalidator()
  const revalidate = useRef(revalidator.revalidate)
  revalidate.current = revalidator.revalidate
  const [pull, setPull] = useState<'idle' | 'pulling' | 'ready' | 'refreshing'>('idle')

  useEffect(() => {
    let start: { x: number; y: number; row: HTMLElement | null; pull: boolean } | null = null
    let dx = 0
    let dy = 0
    const onStart = (e: TouchEvent) => {
      if (e.touches.length !== 1) return
      const target = e.target as HTMLElement
      const row = target.closest<HTMLElement>('[data-swipe]')
      const editing = target.closest('input, textarea, select, [contenteditable]')
      start = { x: e.touches[0].clientX, y: e.touches[0].clientY, row, pull: !row && !editing && window.scrollY <= 0 }
      dx = dy = 0
    }
    const onMove = (e: TouchEvent) => {
      if (!start) return
      dx = e.touches[0].clientX - start.x
      dy = e.touches[0].clientY - start.y
      if (start.row && dx > 0 && Math.abs(dx) > Math.abs(dy)) {
        start.row.style.transform = `translateX(${Math.min(dx, SWIPE_DONE + 24)}px)`
        start.row.style.transition = 'none'
      } else if (start.pull && dy > 0 && Math.abs(dy) > Math.abs(dx)) {
        setPull(dy > PULL_DONE ? 'ready' : 'pulling')
      }
    }
    const onEnd = () => {
      if (!start) return
      const { row, pull: pulling } = start
      start = null
      if (row) {
        row.style.transition = 'transform 150ms'
        row.style.transform = ''
        if (dx > SWIPE_DONE && Math.abs(dy) < SWIPE_DONE / 2) row.querySelector<HTMLButtonElement>('[data-swipe-action]')?.click()
      } else if (pulling) {
        if (dy > PULL_DONE) {
          setPull('refreshing')
          revalidate.current()
          void replayQueue().finally(() => setPull('idle'))
        } else setPull('idle')
      }
    }
    document.addEventListener('touchstart', onStart, { passive: true })
    document.addEventListener('touchmove', onMove, { passive: true })
    document.addEventListener('touchend', onEnd)
    document.addEventListener('touchcancel', onEnd)
    return () => {
      document.removeEventListener('touchstart', onStart)
      document.removeEventListener('touchmove', onMove)
      document.removeEventListener('touchend', onEnd)
      document.removeEventListener('touchcancel', onEnd)
    }
  }, [])

  if (pull === 'idle') return null
  return (
    <div role="status" className="fixed inset-x-0 top-14 z-40 mx-auto w-max rounded-full bg-slate-800 px-4 py-2 text-sm font-medium text-white shadow">
      {pull === 'refreshing' ? 'Actualisation…' : pull === 'ready' ? 'Relâchez pour actualiser' : 'Tirez pour actualiser'}
    </div>
  )
}
