import { useCallback, useEffect, useState } from 'react'
import { currentSet, enqueue, onStoreChange, queueOf } from './store'
import type { QueueEntry, QueuedChange, WorkingSet } from './types'

export type OfflineState = { loaded: boolean; set: WorkingSet | null; queue: QueueEntry[] }

/** The device's working set and queue, re-read whenever they change (this tab, another one, the worker). */
export function useOfflineStore(): OfflineState & { add: (change: QueuedChange) => Promise<void> } {
  const [state, setState] = useState<OfflineState>({ loaded: false, set: null, queue: [] })
  useEffect(() => {
    let alive = true
    const read = async () => {
      try {
        const set = await currentSet()
        const queue = set ? await queueOf(set.key) : []
        if (alive) setState({ loaded: true, set, queue })
      } catch {
        if (alive) setState({ loaded: true, set: null, queue: [] }) // IndexedDB refused (private mode…)
      }
    }
    void read()
    const off = onStoreChange(() => void read())
    return () => {
      alive = false
      off()
    }
  }, [])
  const key = state.set?.key
  const add = useCallback(
    async (change: QueuedChange) => {
      if (key) await enqueue(key, change)
    },
    [key],
  )
  return { ...state, add }
}

const parisTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })
/** "14:32", Paris time, whatever the phone's zone. */
export const formatParisTime = (iso: string) => parisTime.format(new Date(iso))
