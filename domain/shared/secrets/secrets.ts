import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

// Secrets at rest (webhook signing secrets, integration tokens): AES-256-GCM with a key
// from the environment, never from the database (ADR "secrets at rest").
//
//   ALFORIS_SECRETS_KEY           base64 of 32 bytes: seals and opens.
//   ALFORIS_SECRETS_KEY_PREVIOUS  base64 keys (comma-separated) that only open: during a
//                                 rotation, until every sealed value was sealed again.
// Without ALFORIS_SECRETS_KEY (development, tests) a key is generated on first use into
// the data directory (`.data/secrets-key`, mode 600), like the VAPID keys; never in git.
//
// A sealed value is `v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>`: the key id (8
// characters of the key's SHA-256) says which key opens it, so a rotation never has to
// try every key and a value sealed with an unknown key is a clear error.

type Env = Record<string, string | undefined>

export type Keyring = { current: { id: string; key: Buffer }; all: Map<string, Buffer> }

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** The id written beside a value sealed with `key`. */
export const keyId = (key: Buffer) => createHash('sha256').update(key).digest('base64url').slice(0, 8)

function decodeKey(text: string, name: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64')
  if (key.length !== 32) throw new Error(`${name} doit contenir 32 octets encodés en base64 (openssl rand -base64 32)`)
  return key
}

/** A keyring from raw keys: the first seals, all open. */
export function keyringOf(current: Buffer, previous: Buffer[] = []): Keyring {
  const all = new Map<string, Buffer>()
  for (const k of [current, ...previous]) all.set(keyId(k), k)
  return { current: { id: keyId(current), key: current }, all }
}

function devKey(env: Env): Buffer {
  const file = path.resolve(env.ALFORIS_DATA_DIR ?? '.data', 'secrets-key')
  fs.mkdirSync(path.dirname(file), { recursive: true })
  try {
    // 'wx': when several processes start at once, one writes and the others read its key.
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  return decodeKey(fs.readFileSync(file, 'utf8'), file)
}

/** The keyring the environment describes (see the top of this file). */
export function keyringFromEnv(env: Env = process.env): Keyring {
  const current = env.ALFORIS_SECRETS_KEY?.trim() ? decodeKey(env.ALFORIS_SECRETS_KEY, 'ALFORIS_SECRETS_KEY') : devKey(env)
  const previous = (env.ALFORIS_SECRETS_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((s) => s.trim())
    .map((s) => decodeKey(s, 'ALFORIS_SECRETS_KEY_PREVIOUS'))
  return keyringOf(current, previous)
}

let memo: Keyring | null = null
const defaultKeyring = () => (memo ??= keyringFromEnv())

/**
 * Encrypts a secret for storage.
 *
 * @example await db.insertInto('webhook_endpoints').values({ secret_sealed: seal(secret), … })
 */
export function seal(plaintext: string, keyring: Keyring = defaultKeyring()): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv)
  // The key id is authenticated too: a value cannot be relabelled to another key.
  cipher.setAAD(Buffer.from(`${VERSION}.${keyring.current.id}`))
  const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `${VERSION}.${keyring.current.id}.${body.toString('base64url')}`
}

/** Decrypts what `seal` made; throws on a tampered value or a key no longer configured. */
export function open(sealed: string, keyring: Keyring = defaultKeyring()): string {
  const [version, id, data] = sealed.split('.')
  if (version !== VERSION || !id || !data) throw new Error('valeur chiffrée illisible')
  const key = keyring.all.get(id)
  if (!key) throw new Error(`clé de chiffrement ${id} absente (ALFORIS_SECRETS_KEY_PREVIOUS ?)`)
  const body = Buffer.from(data, 'base64url')
  if (body.length < IV_BYTES + TAG_BYTES) throw new Error('valeur chiffrée tronquée')
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES))
  decipher.setAAD(Buffer.from(`${VERSION}.${id}`))
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES))
  return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8')
}

/** True when `sealed` was sealed with an older key: worth sealing again (rotation). */
export const sealedWithOldKey = (sealed: string, keyring: Keyring = defaultKeyring()) => sealed.split('.')[1] !== keyring.current.id
