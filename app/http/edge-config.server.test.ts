import { describe, expect, it } from 'vitest'
import { assertProductionSessionSecret } from '../utils/session-secret.server'
import { bodyLimitFor, bodyTypeAccepted, FORM_BODY_LIMIT } from './edge-rules.server'
import { contentSecurityPolicy } from './security-headers.server'
import { trustProxySetting } from './trust-proxy.server'

describe('TRUST_PROXY', () => {
  it('is off unless set', () => {
    expect(trustProxySetting(undefined)).toBe(false)
    expect(trustProxySetting('')).toBe(false)
    expect(trustProxySetting('off')).toBe(false)
  })
  it('takes a proxy address, a subnet list or a number of hops', () => {
    expect(trustProxySetting('loopback')).toBe('loopback')
    expect(trustProxySetting('10.0.0.2, 10.0.0.0/8')).toBe('10.0.0.2, 10.0.0.0/8')
    expect(trustProxySetting('1')).toBe(1)
  })
  it('refuses to trust everyone, in French', () => {
    expect(() => trustProxySetting('true')).toThrow(/ferait confiance à n'importe quel client/)
  })
})

describe('SESSION_SECRET in production', () => {
  const strong = 'k'.repeat(20) + 'Zx9-QmR4tW8yB2nP5sV7'
  it('refuses to start without one, with an example value, or with a short one', () => {
    expect(() => assertProductionSessionSecret({ NODE_ENV: 'production' })).toThrow(/Démarrage refusé : SESSION_SECRET n'est pas défini/)
    expect(() => assertProductionSessionSecret({ NODE_ENV: 'production', SESSION_SECRET: 'change-me-in-production' })).toThrow(/valeur d'exemple/)
    expect(() => assertProductionSessionSecret({ NODE_ENV: 'production', SESSION_SECRET: 'court' })).toThrow(/moins de 32 caractères/)
    expect(() => assertProductionSessionSecret({ NODE_ENV: 'production', SESSION_SECRET: `${strong},change-me` })).toThrow(/valeur d'exemple/)
  })
  it('accepts a real secret, and anything outside production', () => {
    expect(() => assertProductionSessionSecret({ NODE_ENV: 'production', SESSION_SECRET: strong })).not.toThrow()
    expect(() => assertProductionSessionSecret({ NODE_ENV: 'development' })).not.toThrow()
    expect(() => assertProductionSessionSecret({})).not.toThrow()
  })
})

describe('body rules', () => {
  it('gives forms 1 MB and uploads their own limit, also for single-fetch .data paths', () => {
    expect(bodyLimitFor('/login')).toBe(FORM_BODY_LIMIT)
    expect(bodyLimitFor('/import')).toBeGreaterThan(20 * 1024 * 1024)
    expect(bodyLimitFor('/products/import.data')).toBeGreaterThan(20 * 1024 * 1024)
    expect(bodyLimitFor('/settings/company')).toBe(2 * 1024 * 1024)
    expect(bodyLimitFor('/import/123')).toBe(FORM_BODY_LIMIT)
  })
  it('takes only form encodings on form routes, anything on the webhook route', () => {
    expect(bodyTypeAccepted('/login', 'application/x-www-form-urlencoded;charset=UTF-8')).toBe(true)
    expect(bodyTypeAccepted('/login', 'multipart/form-data; boundary=----x')).toBe(true)
    expect(bodyTypeAccepted('/login', 'multipart/form-data')).toBe(false)
    expect(bodyTypeAccepted('/login', 'application/json')).toBe(false)
    expect(bodyTypeAccepted('/login', undefined)).toBe(false)
    expect(bodyTypeAccepted('/hooks/workflows/abc', 'application/json')).toBe(true)
  })
})

describe('Content-Security-Policy', () => {
  it('allows scripts by nonce only, and forbids framing', () => {
    const csp = contentSecurityPolicy('abc')
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
  })
})
