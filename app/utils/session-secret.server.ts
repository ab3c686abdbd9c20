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
