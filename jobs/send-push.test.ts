import { createECDH, createHmac, createDecipheriv, createPublicKey, randomBytes, verify } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import webpush from 'web-push'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { savePushSubscription } from '../domain/notifications/push-subscriptions.js'
import { vapidKeys } from '../domain/notifications/push-vapid.js'
import { tellUser } from '../domain/notifications/tell-user.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { testNow } from '../testing/clock.js'
import { waitUntil } from '../testing/wait.js'

// Web Push end to end without leaving the machine: a browser's subscription is made up
// here (a P-256 key pair and an auth secret, as Chromium would make them) with an
// endpoint on a receiver on 127.0.0.1 that plays the push service: it checks the VAPID
// JWT (ES256, against our public key) and decrypts the aes128gcm body (RFC 8291) with the
// subscription's private key, as the browser would. tellUser → pg-boss
// notifications.send-push → web-push → the receiver. Then the receiver answers 410, and
// the subscription is gone.

type Received = { authorization: string; encoding: string; ttl: string; body: Buffer }

const received: Received[] = []
let answer = 201
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    received.push({
      authorization: String(req.headers.authorization ?? ''),
      encoding: String(req.headers['content-encoding'] ?? ''),
      ttl: String(req.headers.ttl ?? ''),
      body: Buffer.concat(chunks),
    })
    res.writeHead(answer).end()
  })
})

const vapid = webpush.generateVAPIDKeys()
const browser = createECDH('prime256v1')
browser.generateKeys()
const authSecret = randomBytes(16)
let rt: Awaited<ReturnType<typeof startTestRuntime>>
let w: Awaited<ReturnType<typeof givenWorkspace>>
let endpoint: string
const saved: Record<string, string | undefined> = {}

beforeAll(async () => {
  for (const k of ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT', 'ALFORIS_ALLOW_LOOPBACK_WEBHOOKS']) saved[k] = process.env[k]
  Object.assign(process.env, {
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:support@exemple.fr',
    ALFORIS_ALLOW_LOOPBACK_WEBHOOKS: '1',
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/push/abc123`
  rt = await startTestRuntime({ jobs: 'work' })
  w = await givenWorkspace(rt.db)
})
afterAll(async () => {
  await rt?.stop()
  await new Promise((r) => receiver.close(r))
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
})

/** Checks `vapid t=<jwt>, k=<key>` as a push service does; returns the JWT's claims. */
function verifyVapid(authorization: string): Record<string, unknown> {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization)
  if (!m) throw new Error(`not a VAPID header: ${authorization}`)
  const [, jwt, k] = m
  expect(k).toBe(vapid.publicKey)
  const raw = Buffer.from(k, 'base64url') // 0x04 || x || y
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  })
  const [h, p, s] = jwt.split('.')
  expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'JWT' })
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))
  expect(ok).toBe(true)
  return JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest()

/** RFC 8291/8188 decryption with the browser's private key and auth secret. */
function decryptAes128gcm(body: Buffer): string {
  const salt = body.subarray(0, 16)
  const rs = body.readUInt32BE(16)
  const idlen = body[20]
  const senderKey = body.subarray(21, 21 + idlen)
  const ciphertext = body.subarray(21 + idlen)
  expect(ciphertext.length).toBeLessThanOrEqual(rs)
  const ecdhSecret = browser.computeSecret(senderKey)
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.getPublicKey(), senderKey, Buffer.from([1])])
  const ikm = hmac(hmac(authSecret, ecdhSecret), keyInfo)
  const prk = hmac(salt, ikm)
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16)
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12)
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce)
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16))
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()])
  const end = padded.lastIndexOf(2) // last record: content, then 0x02 and zero padding
  return padded.subarray(0, end).toString('utf8')
}

const subscriptionsOf = (userId: string) => rt.db.selectFrom('push_subscriptions').select(['id', 'last_success_at']).where('user_id', '=', userId).execute()

describe('Web Push through pg-boss to a push service on loopback', () => {
  it('sends a signed, encrypted message the browser can read, then removes the subscription the service says is gone (410)', async () => {
    await savePushSubscription(rt.db, {
      workspaceId: w.workspaceId,
      userId: w.users.commercial,
      subscription: { endpoint, keys: { p256dh: browser.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') } },
      deviceLabel: 'Chrome sur Android',
      now: testNow(),
    })
    const told = await tellUser(rt.db, rt.jobs, {
      workspaceId: w.workspaceId,
      userId: w.users.commercial,
      kind: 'task_reminder_j0',
      title: 'Rappeler Mme Roche aujourd’hui',
      link: '/tasks/42',
      dedupKey: 'task_reminder_j0:42',
    })
    expect(told.push).toBe(true)
    const first = await waitUntil('the receiver got a push', () => received[0])
    expect(first.encoding).toBe('aes128gcm')
    expect(Number(first.ttl)).toBeGreaterThan(0)
    const claims = verifyVapid(first.authorization)
    expect(claims.aud).toBe(new URL(endpoint).origin)
    expect(claims.sub).toBe('mailto:support@exemple.fr')
    expect(Number(claims.exp)).toBeGreaterThan(Date.now() / 1000)
    expect(JSON.parse(decryptAes128gcm(first.body))).toEqual({
      kind: 'task_reminder_j0',
      title: 'Rappeler Mme Roche aujourd’hui',
      body: null,
      link: '/tasks/42',
      tag: 'task_reminder_j0:42',
    })
    await waitUntil('success recorded', async () => (await subscriptionsOf(w.users.commercial))[0]?.last_success_at)

    answer = 410
    await tellUser(rt.db, rt.jobs, {
      workspaceId: w.workspaceId,
      userId: w.users.commercial,
      kind: 'task_assigned',
      title: 'Une tâche vous est attribuée',
      dedupKey: 'task_assigned:43',
    })
    await waitUntil('the expired subscription is removed', async () => (await subscriptionsOf(w.users.commercial)).length === 0)
    expect(received).toHaveLength(2)
  })

  it('sends nothing to a user who turned the push channel off for that kind', async () => {
    const { setPreferences } = await import('../domain/notifications/preferences.js')
    await setPreferences(rt.db, {
      workspaceId: w.workspaceId,
      userId: w.users.manager,
      preferences: { task_assigned: { email: false, in_app: true, push: false } },
    })
    await savePushSubscription(rt.db, {
      workspaceId: w.workspaceId,
      userId: w.users.manager,
      subscription: { endpoint: `${endpoint}-m`, keys: { p256dh: browser.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') } },
      deviceLabel: 'Safari sur iPhone',
      now: testNow(),
    })
    const told = await tellUser(rt.db, rt.jobs, {
      workspaceId: w.workspaceId,
      userId: w.users.manager,
      kind: 'task_assigned',
      title: 'x',
      dedupKey: 'task_assigned:44',
    })
    expect(told.push).toBe(false)
  })
})

describe('VAPID keys without the environment', () => {
  it('are generated once in the data directory, private to the server, and kept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-vapid-'))
    try {
      const a = vapidKeys({ ALFORIS_DATA_DIR: dir })
      const file = path.join(dir, 'vapid-keys.json')
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      expect(Buffer.from(a.publicKey, 'base64url')).toHaveLength(65)
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ publicKey: a.publicKey, privateKey: a.privateKey })
      expect(vapidKeys({ ALFORIS_DATA_DIR: dir, VAPID_SUBJECT: 'mailto:x@exemple.fr' })).toMatchObject({
        publicKey: a.publicKey,
        subject: 'mailto:x@exemple.fr',
      })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
