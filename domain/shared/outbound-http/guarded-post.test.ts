import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyAddress } from './address-policy.js'
import { checkTarget, type LookupFn, OutboundRefused, postGuarded } from './guarded-post.js'
import { outboundPolicyFromEnv } from './outbound-policy.js'

// The SSRF guard. Names are answered by a fake lookup; the only connections opened go to
// a receiver on 127.0.0.1 (with the loopback switch, as tests and benches use it).

const PROD = { allowHttp: false, allowLoopback: false }
const LOOPBACK = { allowHttp: false, allowLoopback: true }
const answers =
  (m: Record<string, string[]>): LookupFn =>
  async (h) => {
    const a = m[h]
    if (!a) throw new Error(`ENOTFOUND ${h}`)
    return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
const refusal = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    if (e instanceof OutboundRefused) return { reason: e.reason, detail: e.detail }
    throw e
  }
  throw new Error('not refused')
}

describe('address ranges', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '::1',
    '::ffff:127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '2002:7f00:1::',
    '64:ff9b::a9fe:a9fe',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    'pas-une-adresse',
  ])('refuses %s in production', (a) => {
    expect(classifyAddress(a)).not.toBe('public')
  })

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])('allows the public address %s', (a) => {
    expect(classifyAddress(a)).toBe('public')
  })
})

describe('checkTarget', () => {
  const lookup = answers({
    'hooks.exemple.fr': ['93.184.216.34'],
    'interne.exemple.fr': ['10.0.0.5'],
    'metadonnees.exemple.fr': ['fd00:ec2::254'],
    'melange.exemple.fr': ['93.184.216.34', '127.0.0.1'],
    'boucle.exemple.fr': ['127.0.0.1'],
  })

  it('accepts https to a public name and keeps the address it checked', async () => {
    const t = await checkTarget('https://hooks.exemple.fr/recevoir', PROD, lookup)
    expect(t.address).toBe('93.184.216.34')
    expect(t.url.hostname).toBe('hooks.exemple.fr')
  })

  it('refuses loopback, private, metadata and mixed answers, literal or resolved', async () => {
    expect(await refusal(checkTarget('https://127.0.0.1/x', PROD, lookup))).toMatchObject({ reason: 'address' })
    expect(await refusal(checkTarget('https://[::ffff:127.0.0.1]/x', PROD, lookup))).toMatchObject({ reason: 'address' })
    expect(await refusal(checkTarget('https://169.254.169.254/latest/meta-data', PROD, lookup))).toMatchObject({ reason: 'address' })
    expect(await refusal(checkTarget('https://interne.exemple.fr/x', PROD, lookup))).toMatchObject({ reason: 'address', detail: '10.0.0.5' })
    expect(await refusal(checkTarget('https://metadonnees.exemple.fr/x', PROD, lookup))).toMatchObject({ reason: 'address' })
    expect(await refusal(checkTarget('https://melange.exemple.fr/x', PROD, lookup))).toMatchObject({ reason: 'address', detail: '127.0.0.1' })
    expect(await refusal(checkTarget('https://boucle.exemple.fr/x', PROD, lookup))).toMatchObject({ reason: 'address' })
  })

  it('refuses http unless the operator allows it, and other schemes always', async () => {
    expect(await refusal(checkTarget('http://hooks.exemple.fr/x', PROD, lookup))).toMatchObject({ reason: 'scheme' })
    await expect(checkTarget('http://hooks.exemple.fr/x', { allowHttp: true, allowLoopback: false }, lookup)).resolves.toMatchObject({
      address: '93.184.216.34',
    })
    expect(await refusal(checkTarget('ftp://hooks.exemple.fr/x', PROD, lookup))).toMatchObject({ reason: 'scheme' })
    expect(await refusal(checkTarget('file:///etc/passwd', PROD, lookup))).toMatchObject({ reason: 'scheme' })
    expect(await refusal(checkTarget('pas une url', PROD, lookup))).toMatchObject({ reason: 'url_invalid' })
    expect(await refusal(checkTarget('https://inconnu.exemple.fr/x', PROD, lookup))).toMatchObject({ reason: 'unresolved' })
  })

  it('allows loopback (http too) only with the test switch', async () => {
    await expect(checkTarget('http://127.0.0.1:9/x', LOOPBACK, lookup)).resolves.toMatchObject({ address: '127.0.0.1' })
    // The switch is about loopback only: private networks stay refused.
    expect(await refusal(checkTarget('http://interne.exemple.fr/x', LOOPBACK, lookup))).toMatchObject({ reason: 'address' })
  })

  it('opens private networks only to an endpoint switched to them, never link-local, metadata or loopback', async () => {
    const PRIVATE = { allowHttp: false, allowLoopback: false, allowPrivate: true }
    const lan = answers({ 'erp.lan': ['10.0.0.5'], 'nas.lan': ['fd12:3456::1'], 'meta.lan': ['fd00:ec2::254'], 'mix.lan': ['192.168.1.2', '169.254.169.254'] })
    expect(await refusal(checkTarget('https://erp.lan/x', PROD, lan))).toMatchObject({ reason: 'address', detail: '10.0.0.5' })
    await expect(checkTarget('https://erp.lan/x', PRIVATE, lan)).resolves.toMatchObject({ address: '10.0.0.5' })
    await expect(checkTarget('https://nas.lan/x', PRIVATE, lan)).resolves.toMatchObject({ address: 'fd12:3456::1' })
    expect(await refusal(checkTarget('https://meta.lan/x', PRIVATE, lan))).toMatchObject({ reason: 'address' })
    expect(await refusal(checkTarget('https://mix.lan/x', PRIVATE, lan))).toMatchObject({ reason: 'address', detail: '169.254.169.254' })
    expect(await refusal(checkTarget('https://169.254.169.254/latest/meta-data', PRIVATE, lan))).toMatchObject({ reason: 'address' })
    expect(await refusal(checkTarget('https://100.100.100.200/x', PRIVATE, lan))).toMatchObject({ reason: 'address' })
    expect(await refusal(checkTarget('https://127.0.0.1/x', PRIVATE, lan))).toMatchObject({ reason: 'address' })
    // http stays the operator's choice, private network or not.
    expect(await refusal(checkTarget('http://erp.lan/x', PRIVATE, lan))).toMatchObject({ reason: 'scheme' })
  })

  it('reads its switches from the environment, off by default', () => {
    expect(outboundPolicyFromEnv({})).toEqual({ ...PROD, privateNetworkSwitch: false })
    expect(outboundPolicyFromEnv({ ALFORIS_ALLOW_LOOPBACK_WEBHOOKS: '1', ALFORIS_WEBHOOKS_ALLOW_HTTP: '1', ALFORIS_WEBHOOKS_PRIVATE_NETWORK: '1' })).toEqual({
      allowHttp: true,
      allowLoopback: true,
      privateNetworkSwitch: true,
    })
  })
})

describe('postGuarded against a loopback receiver', () => {
  const hits: Array<{ path: string; host: string; signature: string | null }> = []
  let port = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      hits.push({ path: req.url ?? '', host: String(req.headers.host), signature: (req.headers['x-alforis-signature'] as string) ?? null })
      if (req.url === '/redirige') res.writeHead(302, { location: `http://127.0.0.1:${port}/interne` }).end()
      else res.writeHead(204).end()
    })
  })
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  const post = (url: string, lookup: LookupFn) =>
    postGuarded(
      url,
      { headers: { 'content-type': 'application/json', 'x-alforis-signature': 'sha256=abc' }, body: '{}', timeoutMs: 5_000 },
      { policy: LOOPBACK, lookup },
    )

  it('connects to the address it checked, with the name as Host, resolving once', async () => {
    hits.length = 0
    let calls = 0
    // A rebinding resolver: the first answer passes the check, the next would point elsewhere.
    const rebinding: LookupFn = async () => (calls++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }])
    const r = await post(`http://recepteur.exemple.test:${port}/ok`, rebinding)
    expect(r).toEqual({ status: 204, excerpt: '' })
    expect(calls).toBe(1)
    expect(hits).toEqual([{ path: '/ok', host: `recepteur.exemple.test:${port}`, signature: 'sha256=abc' }])
  })

  it('does not follow a redirect, so the signature goes nowhere else', async () => {
    hits.length = 0
    expect(await refusal(post(`http://127.0.0.1:${port}/redirige`, answers({})))).toMatchObject({ reason: 'redirect' })
    expect(hits.map((h) => h.path)).toEqual(['/redirige'])
  })

  it('refuses loopback without the switch, before any connection', async () => {
    hits.length = 0
    const p = postGuarded(`http://127.0.0.1:${port}/ok`, { headers: {}, body: '{}', timeoutMs: 1_000 }, { policy: PROD })
    expect(await refusal(p)).toMatchObject({ reason: 'address' })
    expect(hits).toEqual([])
  })
})
