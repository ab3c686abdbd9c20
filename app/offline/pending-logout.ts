// Signing out offline wipes the device at once, but only the server can end the session
// (its cookie is HttpOnly). The sign-out is kept here — with the session's CSRF token, which
// POST /logout needs — and sent as soon as the network is back: by the offline page before it
// reloads, and by every replay of the queue. Until then the cookie alone shows nothing: the
// device holds no data, and the server session is what it always was.
const PENDING_LOGOUT = 'alforis-pending-logout'

export function rememberPendingLogout(csrf: string): void {
  try {
    localStorage.setItem(PENDING_LOGOUT, csrf)
  } catch {
    // Storage refused (private mode): the session ends at its expiry, as before.
  }
}

/** Sends a sign-out made offline; true when one was sent (the session is over, or was already). */
export async function finishPendingLogout(): Promise<boolean> {
  if (typeof localStorage === 'undefined') return false // the service worker: pages do it
  const csrf = localStorage.getItem(PENDING_LOGOUT)
  if (csrf === null) return false
  try {
    await fetch('/logout', {
      method: 'POST',
      body: new URLSearchParams({ csrf }),
      credentials: 'same-origin',
      redirect: 'manual',
      cache: 'no-store',
    })
  } catch {
    return false // still no network: kept for the next try
  }
  // Whatever the answer (ended now, or a session already over or replaced by a newer sign-in,
  // whose token differs), nothing is left to send.
  localStorage.removeItem(PENDING_LOGOUT)
  return true
}
