import fs from 'node:fs'
import path from 'node:path'
import webpush from 'web-push'

// The VAPID key pair that signs every Web Push request (RFC 8292). From the environment
// (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT) when set; otherwise generated on
// first start and kept in the data directory beside the session secret
// (`.data/vapid-keys.json`, mode 600), never in the repository. The key must not change:
// every browser subscribed with the public key, a new pair would orphan them all.

export type VapidKeys = { publicKey: string; privateKey: string; subject: string }

type Env = Record<string, string | undefined>

const memo = new Map<string, VapidKeys>()

/** The contact push services may write to about our traffic: https URL or mailto. */
function subjectFrom(env: Env): string {
  if (env.VAPID_SUBJECT?.trim()) return env.VAPID_SUBJECT.trim()
  const app = env.APP_URL?.trim()
  if (app?.startsWith('https://') && !/^https:\/\/localhost\b/.test(app)) return app.replace(/\/+$/, '')
  return 'mailto:postmaster@alforis-crm.invalid'
}

/**
 * The key pair, read once per data directory.
 *
 * @example const { publicKey } = vapidKeys() // given to pushManager.subscribe({ applicationServerKey })
 */
export function vapidKeys(env: Env = process.env): VapidKeys {
  const subject = subjectFrom(env)
  if (env.VAPID_PUBLIC_KEY?.trim() && env.VAPID_PRIVATE_KEY?.trim()) {
    return { publicKey: env.VAPID_PUBLIC_KEY.trim(), privateKey: env.VAPID_PRIVATE_KEY.trim(), subject }
  }
  const file = path.resolve(env.ALFORIS_DATA_DIR ?? '.data', 'vapid-keys.json')
  const hit = memo.get(file)
  if (hit) return { ...hit, subject }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  try {
    // 'wx': when several processes start at once, one writes and the others read its pair.
    fs.writeFileSync(file, JSON.stringify(webpush.generateVAPIDKeys()), { flag: 'wx', mode: 0o600 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { publicKey?: string; privateKey?: string }
  if (!stored.publicKey || !stored.privateKey) throw new Error(`${file} ne contient pas de paire de clés VAPID`)
  const keys = { publicKey: stored.publicKey, privateKey: stored.privateKey, subject }
  memo.set(file, keys)
  return keys
}
