import { sql } from 'kysely'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { deliverEmail, MAX_SEND_ATTEMPTS } from '../domain/mail/deliver-email.js'
import { enqueueEmail } from '../domain/mail/enqueue-email.js'
import { createResendClient, ResendError } from '../domain/mail/resend-client.js'
import { resendMock } from '../domain/mail/resend.mock.js'
import { PGBOSS_SCHEMA } from './boss.js'
import { FINISHED_JOB_STATES, waitUntil } from '../testing/wait.js'

// The e-mail path end to end: enqueueEmail → pg-boss `mail.send` → Resend (emulated by
// msw with its real request and error shapes) or the local mailbox.

const API_KEY = 're_test_0123456789'
const resend = resendMock({ apiKey: API_KEY })
const server = setupServer(resend.handler)
let rt: Awaited<ReturnType<typeof startTestRuntime>>
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' })
  rt = await startTestRuntime({ jobs: 'work' })
  w = await givenWorkspace(rt.db)
})
afterAll(async () => {
  await rt?.stop()
  server.close()
})
afterEach(() => {
  resend.reset()
  delete process.env.RESEND_API_KEY
  delete process.env.MAIL_FROM
})

let seq = 0
const key = () => `test:${Date.now()}:${++seq}`

const enqueue = (idempotencyKey = key(), to = 'claire.roche@exemple.fr') =>
  enqueueEmail(rt.db, rt.jobs, {
    workspaceId: w.workspaceId,
    to,
    template: 'notification',
    idempotencyKey,
    props: { title: 'Relance devis Menuiserie Roche', body: 'Le devis D-2026-0042 attend une réponse depuis 8 jours.', link: '/deals/42' },
  })

const email = (id: string) => rt.db.selectFrom('outbound_emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** Waits (polling the row, no fixed sleep) until the job has settled the e-mail. */
async function settled(id: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const row = await email(id)
    if (row.status !== 'queued') return row
    if (Date.now() > until) throw new Error(`e-mail ${id} still queued (last_error: ${row.last_error})`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const jobsOf = async (id: string) => {
  const r = await sql<{
    state: string
    retry_count: number
  }>`select state, retry_count from ${sql.raw(PGBOSS_SCHEMA)}.job where name = 'mail.send' and singleton_key = ${id}`.execute(rt.db)
  return r.rows
}

async function jobSettled(id: string) {
  let seen: unknown
  return waitUntil(
    `mail.send jobs of ${id} finished`,
    async () => {
      const jobs = await jobsOf(id)
      seen = jobs
      return jobs.length > 0 && jobs.every((j) => FINISHED_JOB_STATES.includes(j.state)) && jobs
    },
    { last: () => seen },
  )
}

describe('enqueueEmail', () => {
  it('stores the rendered e-mail (French HTML and a plain-text part) and its mail.send job', async () => {
    const { id, created } = await enqueue()
    expect(created).toBe(true)
    const row = await email(id)
    expect(row).toMatchObject({
      to: 'claire.roche@exemple.fr',
      subject: 'Relance devis Menuiserie Roche',
      template: 'notification',
      from_address: 'Alforis CRM <no-reply@alforis.local>',
    })
    expect(row.html).toMatch(/<html[^>]* lang="fr"/)
    expect(row.html).toContain('href="http://localhost:3000/deals/42"')
    expect(row.text).toContain('Le devis D-2026-0042 attend une réponse depuis 8 jours.')
    expect(row.text).not.toContain('<')
    expect((await jobsOf(id)).length).toBe(1)
    await settled(id)
  })

  it('is idempotent: the same key twice gives one row, one job, one e-mail', async () => {
    process.env.RESEND_API_KEY = API_KEY
    const k = key()
    const [a, b] = [await enqueue(k), await enqueue(k)]
    expect(b).toEqual({ id: a.id, created: false })
    const c = await enqueue(k) // after it was sent, still nothing new
    expect(c.id).toBe(a.id)
    await settled(a.id)
    await jobSettled(a.id)
    expect(await rt.db.selectFrom('outbound_emails').select('id').where('idempotency_key', '=', k).execute()).toHaveLength(1)
    expect(await jobsOf(a.id)).toHaveLength(1)
    expect(resend.delivered).toHaveLength(1)
  })

  it('stores neither row nor job when the caller’s transaction rolls back', async () => {
    const k = key()
    await expect(
      rt.db.transaction().execute(async (trx) => {
        await enqueueEmail(trx, rt.jobs, { workspaceId: w.workspaceId, to: 'a@exemple.fr', template: 'notification', props: { title: 'x' }, idempotencyKey: k })
        throw new Error('rollback')
      }),
    ).rejects.toThrow('rollback')
    expect(await rt.db.selectFrom('outbound_emails').select('id').where('idempotency_key', '=', k).execute()).toHaveLength(0)
    const r = await sql<{
      n: number
    }>`select count(*)::int as n from ${sql.raw(PGBOSS_SCHEMA)}.job where name = 'mail.send' and data->>'id' not in (select id::text from outbound_emails)`.execute(
      rt.db,
    )
    expect(r.rows[0].n).toBe(0)
  })

  it('refuses an address that is not one', async () => {
    await expect(enqueue(key(), 'claire.roche-exemple.fr')).rejects.toThrow(/adresse e-mail invalide/)
  })
})

describe('mail.send without RESEND_API_KEY', () => {
  it('delivers to the local mailbox and calls no provider', async () => {
    const { id } = await enqueue()
    const row = await settled(id)
    expect(row).toMatchObject({ status: 'sent', provider: 'mailbox', attempts: 1, last_error: null })
    expect(row.sent_at).not.toBeNull()
    expect(resend.requests).toHaveLength(0)
  })
})

describe('mail.send through Resend', () => {
  it('posts the e-mail with the Bearer key, the Idempotency-Key and the fields Resend expects', async () => {
    process.env.RESEND_API_KEY = API_KEY
    process.env.MAIL_FROM = 'Équipe commerciale <crm@menuiseries-rhone.fr>'
    const k = key()
    const { id } = await enqueue(k)
    const row = await settled(id)
    expect(row).toMatchObject({ status: 'sent', provider: 'resend', provider_id: resend.delivered[0].id, attempts: 1 })
    expect(resend.requests).toHaveLength(1)
    const [req] = resend.requests
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(req.headers['idempotency-key']).toBe(k)
    expect(req.headers['content-type']).toBe('application/json')
    expect(req.body).toEqual({
      from: 'Équipe commerciale <crm@menuiseries-rhone.fr>',
      to: 'claire.roche@exemple.fr',
      subject: 'Relance devis Menuiserie Roche',
      html: row.html,
      text: row.text,
    })
  })

  it('waits out a 429 with Retry-After and sends once', async () => {
    process.env.RESEND_API_KEY = API_KEY
    resend.fail(429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.', { 'retry-after': '1' })
    const { id } = await enqueue()
    const row = await settled(id)
    expect(row).toMatchObject({ status: 'sent', provider: 'resend', attempts: 2 })
    expect(resend.requests).toHaveLength(2)
    expect(resend.requests[0].headers['idempotency-key']).toBe(resend.requests[1].headers['idempotency-key'])
    expect(resend.delivered).toHaveLength(1)
  })

  it('retries a 5xx through pg-boss (the job fails, runs again, then sends)', async () => {
    process.env.RESEND_API_KEY = API_KEY
    await rt.jobs!.boss.updateQueue('mail.send', {
      name: 'mail.send',
      policy: 'stately',
      retryLimit: 7,
      retryDelay: 1,
      retryBackoff: false,
      expireInSeconds: 120,
      deadLetter: 'mail.send-dlq',
    })
    try {
      resend.fail(500, 'application_error', 'An unexpected error occurred.')
      const { id } = await enqueue()
      const row = await settled(id)
      expect(row).toMatchObject({ status: 'sent', attempts: 2 })
      expect(resend.delivered).toHaveLength(1)
      const [job] = await jobSettled(id)
      expect(job).toMatchObject({ state: 'completed', retry_count: 1 })
    } finally {
      await rt.jobs!.boss.updateQueue('mail.send', {
        name: 'mail.send',
        policy: 'stately',
        retryLimit: 7,
        retryDelay: 10,
        retryBackoff: true,
        expireInSeconds: 120,
        deadLetter: 'mail.send-dlq',
      })
    }
  })

  it('fails a 422 for good: recorded, not retried, told to the admins', async () => {
    process.env.RESEND_API_KEY = API_KEY
    resend.fail(
      422,
      'invalid_from_address',
      'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
    )
    const { id } = await enqueue()
    const row = await settled(id)
    expect(row).toMatchObject({ status: 'failed', provider: 'resend', attempts: 1 })
    // Recorded as a code the admin mailbox translates, with Resend's own words as the detail.
    expect(JSON.parse(row.last_error!)).toEqual({
      code: 'mail.provider.refused',
      params: { status: '422', detail: expect.stringMatching(/^invalid_from_address : Invalid `from` field/) },
    })
    const jobs = await jobSettled(id)
    expect(jobs).toEqual([{ state: 'completed', retry_count: 0 }])
    expect(resend.requests).toHaveLength(1)
    const told = await rt.db.selectFrom('notifications').selectAll().where('dedup_key', '=', `mail_failed:${id}`).execute()
    expect(told.map((n) => n.user_id)).toEqual([w.users.admin])
    expect(told[0]).toMatchObject({ kind: 'mail_failed', link: `/admin/mailbox/${id}`, title: 'E-mail non envoyé à claire.roche@exemple.fr' })
  })

  it('treats a revoked key (401) as permanent too', async () => {
    process.env.RESEND_API_KEY = 're_revoked'
    const { id } = await enqueue()
    const row = await settled(id)
    expect(row).toMatchObject({ status: 'failed', attempts: 1 })
    expect(JSON.parse(row.last_error!)).toEqual({ code: 'mail.provider.refused', params: { status: '401', detail: 'validation_error : API key is invalid' } })
  })
})

describe('deliverEmail', () => {
  it(`gives up after ${MAX_SEND_ATTEMPTS} transient failures and records why`, async () => {
    const { id } = await enqueueEmail(rt.db, null, {
      workspaceId: w.workspaceId,
      to: 'b@exemple.fr',
      template: 'notification',
      props: { title: 'x' },
      idempotencyKey: key(),
    })
    let calls = 0
    const down = {
      async sendEmail() {
        calls++
        throw new ResendError('Resend 503 http_503', 503, 'http_503', true)
      },
    }
    for (let i = 1; i < MAX_SEND_ATTEMPTS; i++) await expect(deliverEmail(rt.db, id, { resend: down })).rejects.toThrow('Resend 503')
    expect(await deliverEmail(rt.db, id, { resend: down })).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS })
    expect(await deliverEmail(rt.db, id, { resend: down })).toEqual({ status: 'skipped', reason: 'already_failed' })
    expect(calls).toBe(MAX_SEND_ATTEMPTS)
    expect(JSON.parse((await email(id)).last_error!)).toEqual({
      code: 'mail.gave_up',
      params: { attempts: MAX_SEND_ATTEMPTS, reason: [{ code: 'mail.provider.refused', params: { status: '503', detail: 'http_503' } }] },
    })
  })

  it('sends nothing twice when a job is replayed after success', async () => {
    const { id } = await enqueueEmail(rt.db, null, {
      workspaceId: w.workspaceId,
      to: 'c@exemple.fr',
      template: 'notification',
      props: { title: 'x' },
      idempotencyKey: key(),
    })
    expect(await deliverEmail(rt.db, id, { resend: null })).toMatchObject({ status: 'sent', provider: 'mailbox' })
    expect(await deliverEmail(rt.db, id, { resend: null })).toEqual({ status: 'skipped', reason: 'already_sent' })
  })
})

describe('the Resend client', () => {
  it('classifies Resend answers: 429 and 5xx retryable, 4xx permanent, Retry-After read', async () => {
    const client = createResendClient({ apiKey: API_KEY })
    const mail = { from: 'a@exemple.fr', to: 'b@exemple.fr', subject: 's', text: 't' }
    resend.fail(429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': '3' })
    await expect(client.sendEmail(mail, { idempotencyKey: 'k1' })).rejects.toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 3 })
    resend.fail(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress.')
    await expect(client.sendEmail(mail, { idempotencyKey: 'k1' })).rejects.toMatchObject({ retryable: true })
    resend.fail(403, 'validation_error', 'You can only send testing emails to your own email address.')
    await expect(client.sendEmail(mail, { idempotencyKey: 'k1' })).rejects.toMatchObject({ status: 403, retryable: false })
    expect(await client.sendEmail(mail, { idempotencyKey: 'k1' })).toEqual({ id: expect.any(String) })
    await expect(client.sendEmail({ ...mail, subject: 'autre' }, { idempotencyKey: 'k1' })).rejects.toMatchObject({
      status: 409,
      code: 'invalid_idempotent_request',
      retryable: false,
    })
  })
})
