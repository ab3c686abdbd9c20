import { useEffect, useState } from 'react'
import { useT } from '~/i18n/use-t'
import { replayQueue, requestBackgroundSync } from './replay'
import { formatParisTime, useOfflineStore } from './use-offline'

// The signed-in shell's line about the device copy: "À jour à 14:32" and the number of
// changes waiting to be sent. Mounting it (every signed-in page, with JavaScript) loads or
// refreshes the working set and replays the queue; so do `online`, focus and visibility.
export function SyncStatus() {
  const t = useT()
  const { set, queue } = useOfflineStore()
  const [online, setOnline] = useState(true)
  useEffect(() => {
    const sync = () => {
      setOnline(navigator.onLine)
      if (navigator.onLine) void replayQueue()
    }
    const visible = () => document.visibilityState === 'visible' && sync()
    sync()
    void requestBackgroundSync()
    window.addEventListener('online', sync)
    window.addEventListener('offline', sync)
    window.addEventListener('focus', sync)
    document.addEventListener('visibilitychange', visible)
    return () => {
      window.removeEventListener('online', sync)
      window.removeEventListener('offline', sync)
      window.removeEventListener('focus', sync)
      document.removeEventListener('visibilitychange', visible)
    }
  }, [])
  const pending = queue.filter((e) => e.state === 'pending').length
  return (
    <p className="flex min-h-[1.5rem] flex-wrap items-center justify-end gap-2 text-xs text-slate-600" aria-live="polite" data-testid="sync-status">
      {!online ? <span className="rounded bg-slate-800 px-1.5 py-0.5 font-semibold text-white">Hors ligne</span> : null}
      {set ? <span>{t('offline.upToDate', { time: formatParisTime(set.generatedAt) })}</span> : null}
      {pending ? <span className="rounded bg-amber-100 px-1.5 py-0.5 font-semibold text-amber-900">{t('offline.pending', { count: pending })}</span> : null}
    </p>
  )
}
