import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyId, keyringFromEnv, keyringOf, open, seal, sealedWithOldKey } from './secrets.js'

describe('secrets at rest', () => {
  const a = randomBytes(32)
  const b = randomBytes(32)

  it('opens what it sealed, and never writes the secret in clear', () => {
    const ring = keyringOf(a)
    const sealed = seal('whsec_tres-secret', ring)
    expect(sealed).not.toContain('tres-secret')
    expect(sealed.startsWith(`v1.${keyId(a)}.`)).toBe(true)
    expect(open(sealed, ring)).toBe('whsec_tres-secret')
    // A fresh nonce each time: the same secret never seals to the same text.
    expect(seal('whsec_tres-secret', ring)).not.toBe(sealed)
  })

  it('refuses a tampered value and a value relabelled to another key', () => {
    const ring = keyringOf(a, [b])
    const sealed = seal('jeton', ring)
    const [v, id, data] = sealed.split('.')
    const bytes = Buffer.from(data, 'base64url')
    bytes[bytes.length - 20] ^= 1
    expect(() => open(`${v}.${id}.${bytes.toString('base64url')}`, ring)).toThrow()
    expect(() => open(`${v}.${keyId(b)}.${data}`, ring)).toThrow()
  })

  it('rotates: the new key seals, the previous one still opens, a forgotten one is named', () => {
    const old = seal('jeton', keyringOf(a))
    const rotated = keyringOf(b, [a])
    expect(open(old, rotated)).toBe('jeton')
    expect(sealedWithOldKey(old, rotated)).toBe(true)
    expect(sealedWithOldKey(seal('jeton', rotated), rotated)).toBe(false)
    expect(() => open(old, keyringOf(b))).toThrow(keyId(a))
  })

  it('reads its keys from the environment, or makes a development key in the data directory', () => {
    const env = { ALFORIS_SECRETS_KEY: b.toString('base64'), ALFORIS_SECRETS_KEY_PREVIOUS: a.toString('base64') }
    const ring = keyringFromEnv(env)
    expect(ring.current.id).toBe(keyId(b))
    expect(open(seal('x', keyringOf(a)), ring)).toBe('x')
    expect(() => keyringFromEnv({ ALFORIS_SECRETS_KEY: 'trop-court' })).toThrow('32 octets')

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-secrets-'))
    try {
      const first = keyringFromEnv({ ALFORIS_DATA_DIR: dir })
      expect(keyringFromEnv({ ALFORIS_DATA_DIR: dir }).current.id).toBe(first.current.id)
      expect(fs.statSync(path.join(dir, 'secrets-key')).mode & 0o777).toBe(0o600)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
