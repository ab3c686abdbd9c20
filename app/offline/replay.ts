import { finishPendingLogout } from './pending-logout'
import { currentKey, forgetSignedOut, putEntry, queueOf, removeEntry, saveWorkingSet } from './store'
import type { QueueEntry, SyncAnswer, WorkingSet } from './types'

// Sends the queue to POST /offline/sync, oldest first, then refreshes the working set.
// Runs in a page (online/focus/visibility) and in the service worker (Background Sync):
// a Web Lock keeps two of them from replaying at once, and each change carries its
// command id, so one the server took before the tab closed is not applied twice.

export const SYNC_TAG = 'alforis-offline-queue'
const LOCK = 'alforis-offline-replay'

type Outcome = { signedIn: boolean; sent: number; left: number }

async function fetchWorkingSet(): Promise<WorkingSet | 'signed-out' | null> {
  try {
    const res = await fetch('/offline/working-set', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
    // Signed out, the route redirects to /login (followed: an HTML page).
    if (res.redirected || !(res.headers.get('Content-Type') ?? '').includes('application/json')) return 'signed-out'
    if (!res.ok) return null
    return (await res.json()) as WorkingSet
  } catch {
    return null // no network
  }
}

async function send(entry: QueueEntry, csrf: string): Promise<{ answer: SyncAnswer | null; status: number }> {
  const body = new URLSearchParams({ csrf, commandId: entry.commandId, change: JSON.stringify({ kind: entry.kind, payload: entry.payload }) })
  try {
    const res = await fetch('/offline/sync', { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
    if (!(res.headers.get('Content-Type') ?? '').includes('application/json')) return { answer: null, status: res.status }
    return { answer: (await res.json()) as SyncAnswer, status: res.status }
  } catch {
    return { answer: null, status: 0 }
  }
}

async function replayNow(): Promise<Outcome> {
  // A sign-out made offline ends the server session first: nothing is fetched for that person.
  if (await finishPendingLogout()) {
    await forgetSignedOut()
    return { signedIn: false, sent: 0, left: 0 }
  }
  const set = await fetchWorkingSet()
  if (set === 'signed-out') {
    await forgetSignedOut()
    return { signedIn: false, sent: 0, left: 0 }
  }
  if (!set) {
    const key = await currentKey()
    return { signedIn: true, sent: 0, left: key ? (await queueOf(key)).filter((e) => e.state === 'pending').length : 0 }
  }
  let sent = 0
  let stopped = false
  for (const entry of await queueOf(set.key)) {
    if (entry.state !== 'pending') continue
    const { answer, status } = await send(entry, set.csrf)
    if (!answer || status >= 500) {
      stopped = true // the network or the server failed: the rest waits, in order
      break
    }
    if (answer.status === 'ok') {
      await removeEntry(entry.seq!)
      sent++
    } else if (answer.status === 'conflict') {
      await putEntry({ ...entry, state: 'conflict', message: answer.message, current: answer.current })
    } else {
      await putEntry({ ...entry, state: 'rejected', message: answer.message })
    }
  }
  // What the server holds now, this person's changes included.
  const fresh = sent && !stopped ? await fetchWorkingSet() : set
  if (fresh && fresh !== 'signed-out') await saveWorkingSet(fresh)
  const left = (await queueOf(set.key)).filter((e) => e.state === 'pending').length
  return { signedIn: true, sent, left }
}

let running: Promise<Outcome> | null = null
/** Replays the queue and refreshes the working set; concurrent calls share one run. */
export function replayQueue(): Promise<Outcome> {
  running ??= (async () => {
    try {
      const locks = (globalThis.navigator as Navigator | undefined)?.locks
      if (locks) return (await locks.request(LOCK, replayNow)) as Outcome
      return await replayNow()
    } finally {
      running = null
    }
  })()
  return running
}

/** Asks the browser to replay when the network is back, even with the tab closed (Chromium's Background Sync). */
export async function requestBackgroundSync(): Promise<void> {
  try {
    const reg = (await navigator.serviceWorker?.ready) as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined
    await reg?.sync?.register(SYNC_TAG)
  } catch {
    // No Background Sync here: the page replays on `online`, focus and visibility instead.
  }
}
