import { replayQueue } from './replay'
import { clearEverything, currentKey, queueOf } from './store'

/**
 * Before signing out on a shared phone: send what is queued, then wipe the device copy
 * (IndexedDB and data caches). Offline with unsent changes, the rep confirms they will be
 * lost (`confirm` gets the count). Resolves false when the rep chose to stay signed in.
 */
export async function clearBeforeLogout(confirmLoss: (count: number) => boolean): Promise<boolean> {
  try {
    if (navigator.onLine) await replayQueue()
    const key = await currentKey()
    const left = key ? (await queueOf(key)).length : 0
    if (left && !confirmLoss(left)) return false
    await clearEverything()
  } catch {
    // IndexedDB unavailable: there is nothing of this person's on the device to clear.
  }
  return true
}
