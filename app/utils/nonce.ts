import { createContext, useContext } from 'react'

// The CSP nonce of this response (app/http/security-headers.server.ts makes one per
// request). Set by entry.server around the app; empty in the browser, which hides nonces
// from scripts anyway, so hydration does not need it.
export const NonceContext = createContext('')
export const useNonce = () => useContext(NonceContext)
