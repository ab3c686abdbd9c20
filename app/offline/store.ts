import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { QueueEntry, QueuedChange, WorkingSet } from './types'

// The device's copy of the rep's working set and their queue of unsent changes, in
// IndexedDB (issue 15). Runs in the page and in the service worker (Background Sync).
// One person at a time: storing another person's set wipes the previous one, and a set
// whose session has ended is not shown — a shared phone never shows the last user's data.

type Current = { key: string; sessionExpiresAt: string; generatedAt: string }

interface OfflineDb extends DBSchema {
  meta: { key: 'current'; value: Current }
  sets: { key: string; value: WorkingSet }
  queue: { key: number; value: QueueEntry; indexes: { userKey: string } }
}

const DB_NAME = 'alforis-offline'
/** Another tab, or the service worker, changed the store: views re-read it. */
export const CHANGED_EVENT = 'alforis-offline-changed'
const CHANNEL = 'alforis-offline'

let dbPromise: Promise<IDBPDatabase<OfflineDb>> | null = null
function db() {
  dbPromise ??= openDB<OfflineDb>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('meta')
      d.createObjectStore('sets', { keyPath: 'key' })
      d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true }).createIndex('userKey', 'userKey')
    },
    blocking() {
      // A newer version (or a deletion) waits on us: let it through.
      void dbPromise?.then((d) => d.close())
      dbPromise = null
    },
  })
  return dbPromise
}

let channel: BroadcastChannel | null = null
function changed() {
  if (typeof BroadcastChannel !== 'undefined') {
    channel ??= new BroadcastChannel(CHANNEL)
    channel.postMessage('changed')
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGED_EVENT))
}

/** Calls `fn` whenever the store changes, in this tab or another one. */
export function onStoreChange(fn: () => void): () => void {
  const listen = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CHANNEL) : null
  listen?.addEventListener('message', fn)
  window.addEventListener(CHANGED_EVENT, fn)
  return () => {
    listen?.close()
    window.removeEventListener(CHANGED_EVENT, fn)
  }
}

export async function saveWorkingSet(set: WorkingSet): Promise<void> {
  const d = await db()
  const tx = d.transaction(['meta', 'sets'], 'readwrite')
  const previous = await tx.objectStore('meta').get('current')
  if (previous && previous.key !== set.key) await tx.objectStore('sets').clear()
  await tx.objectStore('sets').put(set)
  await tx.objectStore('meta').put({ key: set.key, sessionExpiresAt: set.sessionExpiresAt, generatedAt: set.generatedAt }, 'current')
  await tx.done
  changed()
}

/** The working set of the person signed in on this device, unless their session is over. */
export async function currentSet(now = new Date()): Promise<WorkingSet | null> {
  const d = await db()
  const current = await d.get('meta', 'current')
  if (!current || new Date(current.sessionExpiresAt) <= now) return null
  return (await d.get('sets', current.key)) ?? null
}

export async function currentKey(): Promise<string | null> {
  return (await (await db()).get('meta', 'current'))?.key ?? null
}

/** The server said nobody is signed in: no one's data stays readable (their unsent queue stays, for them). */
export async function forgetSignedOut(): Promise<void> {
  const d = await db()
  const tx = d.transaction(['meta', 'sets'], 'readwrite')
  await Promise.all([tx.objectStore('meta').clear(), tx.objectStore('sets').clear()])
  await tx.done
  changed()
}

export async function enqueue(userKey: string, change: QueuedChange): Promise<QueueEntry> {
  const entry: QueueEntry = { ...change, userKey, commandId: crypto.randomUUID(), createdAt: new Date().toISOString(), state: 'pending' }
  entry.seq = await (await db()).add('queue', entry)
  changed()
  return entry
}

/** This person's queued changes, oldest first. */
export async function queueOf(userKey: string): Promise<QueueEntry[]> {
  const all = await (await db()).getAllFromIndex('queue', 'userKey', userKey)
  return all.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
}

export async function putEntry(entry: QueueEntry): Promise<void> {
  await (await db()).put('queue', entry)
  changed()
}

export async function removeEntry(seq: number): Promise<void> {
  await (await db()).delete('queue', seq)
  changed()
}

/** Sign-out: every set, every queue, and every cache but the app shell. */
export async function clearEverything(): Promise<void> {
  const d = await db()
  const tx = d.transaction(['meta', 'sets', 'queue'], 'readwrite')
  await Promise.all([tx.objectStore('meta').clear(), tx.objectStore('sets').clear(), tx.objectStore('queue').clear()])
  await tx.done
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) if (!name.startsWith('alforis-shell-')) await caches.delete(name)
  }
  changed()
}
