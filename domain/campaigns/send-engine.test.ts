import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { givenCompanyAddress, givenConsentingContacts } from '../../testing/campaign-records.js'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { cancelCampaign, campaignProgress, createCampaign, pauseCampaign, startCampaign } from './campaign.commands.js'
import { setSendingLimits } from './campaign-settings.js'
import { createResendBatchClient } from './resend-batch-client.js'
import { resendBatchMock } from './resend-batch.mock.js'
import { runCampaignSlice, type SendEngineOptions } from './send-engine.js'
import { suppressEmail } from './suppression.js'

// The sending engine against the real Postgres and Resend's batch endpoint emulated by
// msw: nothing twice after a crash, suppression read at send time, 429s, quota, pause.

const API_KEY = 're_test_campaigns'
const resend = resendBatchMock({ apiKey: API_KEY })
const server = setupServer(resend.handler)
const transport = createResendBatchClient({ apiKey: API_KEY })
let rt: Awaited<ReturnType<typeof startTestRuntime>>
let w: Awaited<ReturnType<typeof givenWorkspace>>
const sleeps: number[] = []
const opts = (extra: Partial<SendEngineOptions> = {}): SendEngineOptions => ({
  transport,
  now: rt.now,
  appUrl: 'https://crm.exemple.fr',
  sleep: async (ms) => void sleeps.push(ms),
  ...extra,
})

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' })
  rt = await startTestRuntime()
  w = await givenWorkspace(rt.db)
  await givenCompanyAddress(rt.db, w.workspaceId, rt.now())
})
afterAll(async () => {
  await rt?.stop()
  server.close()
})
afterEach(() => {
  resend.reset()
  sleeps.length = 0
})

let seq = 0
async function startedCampaign(contacts: number) {
  const tag = `lot-${++seq}`
  const ids = await givenConsentingContacts(rt.db, w.workspaceId, contacts, { tag, domain: `${tag}.exemple.fr`, now: rt.now() })
  const id = await createCampaign(rt.db, w.ctx(), {
    name: `Newsletter ${tag}`,
    subject: 'Bonjour {{contact.prenom | "Madame, Monsieur"}}',
    body: 'Nos nouveautés de saison.\n\nÀ bientôt, {{commercial.nom | "l’équipe"}}',
    buttonLabel: 'Voir les offres',
    buttonUrl: 'https://www.exemple.fr/offres',
    segment: { tags: [tag] },
  })
  const n = await startCampaign(rt.db, null, w.ctx(), id)
  expect(n).toBe(contacts)
  return { id, contactIds: ids }
}

const sends = (campaignId: string) => rt.db.selectFrom('campaign_sends').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute()

async function runToEnd(campaignId: string, extra: Partial<SendEngineOptions> = {}) {
  for (let i = 0; i < 50; i++) {
    const out = await runCampaignSlice(rt.db, campaignId, opts(extra))
    if (out.status !== 'more') return out
  }
  throw new Error('campaign never finished')
}

describe('campaign sending engine', () => {
  it('resumes a worker that died after Resend accepted a batch without sending anyone twice', async () => {
    const { id } = await startedCampaign(150)
    let crashes = 0
    const crashing = opts({
      afterProviderAccepted: () => {
        if (crashes++ === 1) throw new Error('worker killed')
      },
    })
    await expect(runCampaignSlice(rt.db, id, crashing)).rejects.toThrow('worker killed')
    const pending = await rt.db
      .selectFrom('campaign_batches')
      .select(['status', 'payload'])
      .where('campaign_id', '=', id)
      .where('status', '=', 'pending')
      .execute()
    expect(pending).toHaveLength(1)
    expect(pending[0]!.payload).toBeTruthy()

    expect(await runToEnd(id)).toMatchObject({ status: 'completed' })
    const to = resend.state.delivered.map((d) => d.to)
    expect(to).toHaveLength(150)
    expect(new Set(to).size).toBe(150)
    expect(resend.state.replays).toBe(1)
    expect((await sends(id)).every((s) => s.status === 'sent' && s.provider_id)).toBe(true)
    expect(await campaignProgress(rt.db, w.workspaceId, id)).toMatchObject({ sent: 150, queued: 0, failed: 0 })
    const c = await rt.db.selectFrom('campaigns').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(c.status).toBe('completed')

    const mail = resend.state.delivered[0]!
    expect(mail.headers['List-Unsubscribe']).toMatch(/^<https:\/\/crm\.exemple\.fr\/desabonnement\/[0-9a-f-]{36}\/[\w-]+>$/)
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
    expect(mail.subject).toMatch(/^Bonjour Prénom\d+$/)
    expect(mail.html).toContain('12 rue des Tanneurs, 69003 Lyon')
    expect(mail.html).toContain('https://crm.exemple.fr/t/o/')
    expect(mail.html).toMatch(/https:\/\/crm\.exemple\.fr\/t\/c\/[^"]+u=https%3A%2F%2Fwww\.exemple\.fr%2Foffres/)
    expect(mail.text).toContain('Nos nouveautés de saison.')
    expect(mail.text).toContain('l’équipe')
  })

  it('sends nothing more to a contact who unsubscribes or withdraws consent while the campaign runs', async () => {
    const { id } = await startedCampaign(150)
    expect(await runCampaignSlice(rt.db, id, opts({ maxSliceMs: 0 }))).toMatchObject({ status: 'more', batches: 1 })
    const queued = (await sends(id)).filter((s) => s.status === 'queued')
    expect(queued).toHaveLength(50)
    await suppressEmail(rt.db, { workspaceId: w.workspaceId, email: queued[0]!.email.toUpperCase(), reason: 'unsubscribed', source: 'test', now: rt.now() })
    await rt.db.updateTable('contacts').set({ marketing_opt_out: true }).where('id', '=', queued[1]!.contact_id).execute()

    expect(await runToEnd(id)).toMatchObject({ status: 'completed' })
    const to = resend.state.delivered.map((d) => d.to)
    expect(to).toHaveLength(148)
    expect(to).not.toContain(queued[0]!.email)
    expect(to).not.toContain(queued[1]!.email)
    const after = await sends(id)
    expect(after.find((s) => s.id === queued[0]!.id)).toMatchObject({ status: 'suppressed', suppressed_reason: 'unsubscribed' })
    expect(after.find((s) => s.id === queued[1]!.id)).toMatchObject({ status: 'suppressed', suppressed_reason: 'no_consent' })
  })

  it("waits out Resend's 429 with its Retry-After and sends the same batch once", async () => {
    const { id } = await startedCampaign(20)
    resend.fail(429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': '2' })
    expect(await runToEnd(id)).toMatchObject({ status: 'completed' })
    expect(sleeps).toContain(2000)
    expect(resend.state.delivered).toHaveLength(20)
  })

  it('stops at the daily quota and resumes the next Paris day; pause and cancel stop the rest', async () => {
    const { id } = await startedCampaign(130)
    await setSendingLimits(rt.db, w.workspaceId, { dailyQuota: 1_000_000 })
    const sentBefore = resend.state.delivered.length
    // Quota counts every campaign of the workspace today: leave room for 60 more.
    const today = await rt.db
      .selectFrom('campaign_batches')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('email_count'), eb.lit(0)).as('n'))
      .where('workspace_id', '=', w.workspaceId)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow()
    await setSendingLimits(rt.db, w.workspaceId, { dailyQuota: Number(today.n) + 60 })
    const out = await runToEnd(id)
    expect(out.status).toBe('quota')
    expect(resend.state.delivered.length - sentBefore).toBe(60)
    if (out.status === 'quota') expect(out.resumeAt.getTime()).toBeGreaterThan(rt.now().getTime())

    await setSendingLimits(rt.db, w.workspaceId, { dailyQuota: 1_000_000 })
    await pauseCampaign(rt.db, w.ctx(), id)
    expect(await runCampaignSlice(rt.db, id, opts())).toMatchObject({ status: 'stopped', batches: 0 })
    await cancelCampaign(rt.db, w.ctx(), id)
    expect(await campaignProgress(rt.db, w.workspaceId, id)).toMatchObject({ sent: 60, cancelled: 70, queued: 0 })
  })
})
