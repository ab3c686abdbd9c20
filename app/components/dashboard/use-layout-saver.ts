import { useFetcher, useRevalidator } from '@remix-run/react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { applyLayoutChange, type LayoutChange } from '../../../domain/dashboards/layout.decide'
import type { Widget } from '../../../domain/dashboards/widgets'

/** What POST /dashboard/layout answers a script (`js=1`). */
export type LayoutResult = { ok: true; version: number; widgets: Widget[] } | { ok: false; message: string }

// crypto.randomUUID exists only on HTTPS and localhost; command ids must work on plain HTTP too.
export function newCommandId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** A change as the form posts it (`action` = up | down | remove | size:md | add:funnel | reset | reorder). */
export type LayoutPost = { action: string; widgetId?: string; order?: string }

export function changeOfPost(p: LayoutPost): LayoutChange | 'reset' | null {
  const [verb, arg] = p.action.split(':')
  switch (verb) {
    case 'up':
    case 'down':
      return p.widgetId ? { op: 'move', widgetId: p.widgetId, direction: verb } : null
    case 'remove':
      return p.widgetId ? { op: 'remove', widgetId: p.widgetId } : null
    case 'size':
      return p.widgetId ? { op: 'resize', widgetId: p.widgetId, size: arg as never } : null
    case 'add':
      return { op: 'add', widgetId: p.widgetId ?? '', kind: arg as never }
    case 'reorder':
      return { op: 'reorder', order: (p.order ?? '').split(',').filter(Boolean) }
    case 'reset':
      return 'reset'
    default:
      return null
  }
}

/**
 * The editor's layout in the browser: changes show at once (optimistic) and are posted
 * one after another through a fetcher, each with the version the previous one returned,
 * so quick successive drags never trip the optimistic-concurrency check. On a refusal the
 * screen goes back to what the server has.
 */
export function useLayoutSaver(serverWidgets: Widget[], serverVersion: number, csrf: string) {
  const fetcher = useFetcher<LayoutResult>({ key: 'dashboard-layout' })
  const revalidator = useRevalidator()
  const [widgets, setWidgetsState] = useState(serverWidgets)
  const current = useRef(widgets)
  const setWidgets = useCallback((w: Widget[]) => {
    current.current = w
    setWidgetsState(w)
  }, [])
  const [error, setError] = useState<string | null>(null)
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle')
  const queue = useRef<LayoutPost[]>([])
  const version = useRef(serverVersion)
  const inFlight = useRef(false)
  // submit() turns the fetcher busy on the next render: only an idle *after* busy is an answer.
  const sawBusy = useRef(false)

  // A fresh load (revalidation, another tab's reset) wins when nothing is pending here.
  useEffect(() => {
    version.current = Math.max(version.current, serverVersion)
    if (!inFlight.current && queue.current.length === 0) setWidgets(serverWidgets)
  }, [serverWidgets, serverVersion, setWidgets])

  const pump = useCallback(() => {
    if (inFlight.current) return
    const next = queue.current.shift()
    if (!next) return
    inFlight.current = true
    setStatus('saving')
    const body = new FormData()
    body.set('csrf', csrf)
    body.set('js', '1')
    body.set('version', String(version.current))
    body.set('commandId', newCommandId())
    for (const [k, v] of Object.entries(next)) if (v !== undefined) body.set(k, v)
    fetcher.submit(body, { method: 'post', action: '/dashboard/layout' })
  }, [csrf, fetcher])

  useEffect(() => {
    if (fetcher.state !== 'idle') {
      if (inFlight.current) sawBusy.current = true
      return
    }
    if (!inFlight.current || !sawBusy.current) return
    inFlight.current = false
    sawBusy.current = false
    const r = fetcher.data
    if (r && r.ok) {
      version.current = r.version
      if (queue.current.length) pump()
      else {
        // The server's list is the truth (a reset is not drawn ahead of it).
        setWidgets(r.widgets)
        setStatus('saved')
      }
    } else {
      queue.current = []
      setStatus('idle')
      setError(r && !r.ok ? r.message : '')
      revalidator.revalidate()
    }
  }, [fetcher.state, fetcher.data, pump, revalidator, setWidgets])

  const save = useCallback(
    (post: LayoutPost) => {
      const change = changeOfPost(post)
      if (!change) return
      if (change !== 'reset') {
        if (change.op === 'add' && !post.widgetId) post = { ...post, widgetId: newCommandId() }
        let next: Widget[]
        try {
          next = applyLayoutChange(current.current, changeOfPost(post) as LayoutChange)
        } catch {
          return
        }
        setWidgets(next)
      }
      setError(null)
      queue.current.push(post)
      pump()
    },
    [pump, setWidgets],
  )

  return { widgets, save, error, status }
}
