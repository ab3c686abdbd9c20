import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { readStream } from '../domain/shared/run-command.js'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import { createQuoteCommand, sendQuoteCommand } from '../domain/sales/quote.commands.js'
import { EXPIRE_QUOTES, expireQuotesJob } from './expire-quotes.job.js'
import type { JobDeps } from './job.js'
import { FINISHED_JOB_STATES, waitUntil } from '../testing/wait.js'

// sales.expire-quotes through its handler and through pg-boss, over the real runtime.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime({ jobs: 'work' })
})
afterAll(async () => {
  await rt?.stop()
})

const deps = (): JobDeps => ({ db: rt.db, ch: rt.ch, log: () => {}, send: rt.jobs!.send })
const run = (data: { now?: string }) => expireQuotesJob.handle(data, deps(), { id: randomUUID(), name: EXPIRE_QUOTES, data } as never)

/** A quote sent on `sentAt` with `validity` days of validity. */
async function givenSentQuote(sentAt: Date, validity = 30) {
  const w = await givenWorkspace(rt.db)
  const ctx = w.ctx(w.users.commercial, { now: sentAt })
  const org = await givenOrganisation(rt.db, ctx, { name: 'Boulangerie Martin' })
  const deal = await givenDeal(rt.db, ctx, { organisationId: org })
  const contact = randomUUID()
  await createContactCommand(rt.db, ctx, {
    id: contact,
    fields: {
      civility: 'Mme',
      first_name: 'Claire',
      last_name: 'Martin',
      job_title: null,
      emails: ['claire@martin.fr'],
      phones: [],
      organisation_id: org,
      owner_id: null,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
    },
  })
  const id = randomUUID()
  await createQuoteCommand(rt.db, ctx, {
    id,
    fields: { organisation_id: org, contact_id: contact, deal_id: deal, title: 'Four à sole', validity_days: validity, payment_terms: null, notes: null },
    lines: [
      {
        product_id: null,
        code: null,
        description: 'Four à sole',
        unit: 'unité',
        quantity: '1',
        unit_price_cents: 1_250_000,
        discount: null,
        vat_rate: 2000,
        vat_exemption: null,
      },
    ],
  })
  await sendQuoteCommand(rt.db, ctx, { id })
  return id
}
const statusOf = async (id: string) => (await rt.db.selectFrom('quotes').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

async function waitForJob(id: string) {
  let state: string | undefined
  return waitUntil(
    `job ${EXPIRE_QUOTES} ${id} finished`,
    async () => {
      const job = await rt.jobs!.boss.getJobById(EXPIRE_QUOTES, id, { includeArchive: true })
      state = job?.state
      return job && FINISHED_JOB_STATES.includes(job.state) && job
    },
    { last: () => state },
  )
}

describe('sales.expire-quotes', () => {
  it('is scheduled daily at 00:15 Paris time on a stately queue with a dead-letter twin', async () => {
    const schedule = (await rt.jobs!.boss.getSchedules()).find((s) => s.name === EXPIRE_QUOTES)
    expect(schedule).toMatchObject({ cron: '15 0 * * *', timezone: 'Europe/Paris' })
    expect(await rt.jobs!.boss.getQueue(EXPIRE_QUOTES)).toMatchObject({ policy: 'stately', deadLetter: `${EXPIRE_QUOTES}-dlq` })
  })

  it('expires a sent quote the day after its last valid day (Paris), not before, once', async () => {
    // Sent Monday 2 November 2026, 30 days: valid through 2 December.
    const id = await givenSentQuote(new Date('2026-11-02T09:00:00Z'))
    expect((await rt.db.selectFrom('quotes').select('valid_until').where('id', '=', id).executeTakeFirstOrThrow()).valid_until).toBeTruthy()
    // 2 December, 23:30 Paris: still valid.
    await run({ now: '2026-12-02T22:30:00Z' })
    expect(await statusOf(id)).toBe('envoye')
    // 3 December, 00:15 Paris (23:15 UTC on the 2nd): expired.
    const r = await run({ now: '2026-12-02T23:15:00Z' })
    expect(r).toMatchObject({ expired: expect.any(Number) })
    expect(await statusOf(id)).toBe('expire')
    // Again: nothing more happens.
    await run({ now: '2026-12-03T23:15:00Z' })
    const events = (
      await readStream(rt.db, (await rt.db.selectFrom('quotes').select('workspace_id').where('id', '=', id).executeTakeFirstOrThrow()).workspace_id, id)
    ).map((e) => e.type)
    expect(events).toEqual(['QuoteCreated', 'QuoteSent', 'QuoteExpired'])
  })

  it('runs through pg-boss and leaves drafts alone', async () => {
    const sent = await givenSentQuote(new Date('2026-10-01T09:00:00Z'), 10)
    const jobId = await rt.jobs!.send(EXPIRE_QUOTES, { now: '2026-10-20T08:00:00Z' }, { singletonKey: `test-${randomUUID()}` })
    expect(jobId).toBeTruthy()
    const job = await waitForJob(jobId!)
    expect(job.state).toBe('completed')
    expect(await statusOf(sent)).toBe('expire')
  })

  it('refuses an invalid instant', async () => {
    await expect(run({ now: 'demain' })).rejects.toThrow(/invalid now/)
  })
})
