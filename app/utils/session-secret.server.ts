import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

let cached: string[] | null = null

/**
 * The secrets that sign the session cookie. `SESSION_SECRET` (comma-separated, newest
 * first, for rotation) when set; otherwise a random secret generated on first start and
 * kept in `.data/session-secret`, so the embedded default never ships a known secret
 * and sessions survive restarts.
 */
export function sessionSecrets(): string[] {
  if (cached) return cached
  const fromEnv = process.env.SESSION_SECRET?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (fromEnv?.length) return (cached = fromEnv)
  const file = path.resolve(process.env.ALFORIS_DATA_DIR ?? '.data', 'session-secret')
  fs.mkdirSync(path.dirname(file), { recursive: true })
  try {
    // 'wx': only one process wins when several start at once; the others read its secret.
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  const secret = fs.readFileSync(file, 'utf8').trim()
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters`)
  return (cached = [secret])
}

// Values that shipped in examples (docker-compose.yml's fallback among them): anyone can
// forge a session cookie signed with them.
const KNOWN_DEFAULTS = new Set(['change-me-in-production', 'change-me', 'changeme', 'secret', 'session-secret', 'alforis'])

/**
 * Refuses to start in production (NODE_ENV=production) without a real SESSION_SECRET:
 * unset, a known example value, or shorter than 32 characters. The message is the one
 * an operator reads in the logs, so it says what to do.
 */
export function assertProductionSessionSecret(env: { NODE_ENV?: string; SESSION_SECRET?: string } = process.env): void {
  if (env.NODE_ENV !== 'production') return
  const secrets = (env.SESSION_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const how = 'Générez-en un (par exemple « openssl rand -base64 48 ») et passez-le dans la variable SESSION_SECRET.'
  if (secrets.length === 0) throw new Error(`Démarrage refusé : SESSION_SECRET n'est pas défini alors que NODE_ENV=production. ${how}`)
  if (secrets.some((s) => KNOWN_DEFAULTS.has(s.toLowerCase()) || s.length < 32))
    throw new Error(
      `Démarrage refusé : SESSION_SECRET est une valeur d'exemple ou fait moins de 32 caractères, n'importe qui pourrait signer des cookies de session. ${how}`,
    )
}
