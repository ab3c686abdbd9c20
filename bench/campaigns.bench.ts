import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { setupServer } from 'msw/node'
import { createCampaign, startCampaign } from '../domain/campaigns/campaign.commands.js'
import { setSendingLimits } from '../domain/campaigns/campaign-settings.js'
import { createResendBatchClient } from '../domain/campaigns/resend-batch-client.js'
import { resendBatchMock } from '../domain/campaigns/resend-batch.mock.js'
import { runCampaignSlice } from '../domain/campaigns/send-engine.js'
import { startRuntime } from '../runtime/runtime.js'
import { givenCompanyAddress, givenConsentingContacts } from '../testing/campaign-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// npm run bench:campaigns [-- --recipients 50000 --rps 20]
//
// One campaign to --recipients consenting contacts, rendered and sent through the real
// engine (claim → render → store → Resend batch → record) to Resend's batch endpoint as
// emulated by msw in this process (resend-batch.mock.ts), with the workspace's pace
// raised to --rps requests/s × 100 e-mails (the engine's capacity, not Resend's default
// 2/s); the emulator enforces the same rate and answers 429 beyond it. Prints one JSON
// line: sends_per_s (e-mails accepted ÷ sending wall time), render_p95_ms (per e-mail:
// each batch renders once and fills per recipient; the render counts in its first
// e-mail), peak_rss_mb, duplicates (addresses Resend accepted more than once: must be 0).

const { values: args } = parseArgs({ options: { recipients: { type: 'string', default: '50000' }, rps: { type: 'string', default: '20' } } })
const N = Number(args.recipients)
const RPS = Number(args.rps)
const API_KEY = 're_bench_campaigns'
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100
}

let peakRss = process.memoryUsage().rss
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100)
const resend = resendBatchMock({ apiKey: API_KEY, requestsPerSecond: RPS })
const server = setupServer(resend.handler)
server.listen({ onUnhandledRequest: 'error' })
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-campaigns-bench-'))
const rt = await startRuntime({ dataDir: dir, ephemeral: true, jobs: 'off', projector: false, log: () => {} })
try {
  const w = await givenWorkspace(rt.db)
  await givenCompanyAddress(rt.db, w.workspaceId, rt.now())
  await givenConsentingContacts(rt.db, w.workspaceId, N, { tag: 'bench', now: rt.now() })
  await setSendingLimits(rt.db, w.workspaceId, { requestsPerSecond: RPS, dailyQuota: 10_000_000 })
  const id = await createCampaign(rt.db, w.ctx(), {
    name: 'Newsletter de décembre',
    subject: 'Nos nouveautés, {{contact.prenom | "Madame, Monsieur"}}',
    body: 'Bonjour {{contact.prenom | "Madame, Monsieur"}},\n\nVoici les nouveautés du mois chez {{organisation.nom | "nous"}}.\n\nÀ bientôt,\n{{commercial.nom | "L’équipe"}}',
    buttonLabel: 'Découvrir',
    buttonUrl: 'https://www.exemple.fr/nouveautes',
    segment: { tags: ['bench'] },
  })
  await startCampaign(rt.db, null, w.ctx(), id)
  const renders: number[] = []
  const transport = createResendBatchClient({ apiKey: API_KEY })
  const t0 = performance.now()
  for (;;) {
    const out = await runCampaignSlice(rt.db, id, {
      transport,
      now: rt.now,
      appUrl: 'https://crm.exemple.fr',
      onRender: (ms) => renders.push(ms),
      maxSliceMs: 60_000,
    })
    if (out.status !== 'more') break
  }
  const seconds = (performance.now() - t0) / 1000
  const seen = new Map<string, number>()
  for (const d of resend.state.delivered) seen.set(d.to, (seen.get(d.to) ?? 0) + 1)
  console.log(
    JSON.stringify({
      bench: 'campaigns',
      recipients: N,
      requests_per_s_limit: RPS,
      accepted: resend.state.delivered.length,
      sends_per_s: Math.round(resend.state.delivered.length / seconds),
      render_p95_ms: pct(renders, 95),
      render_max_ms: pct(renders, 100),
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
      duplicates: [...seen.values()].filter((n) => n > 1).length,
      requests: resend.state.requests,
      rate_limited: resend.state.rateLimited,
      seconds: Math.round(seconds * 10) / 10,
      loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    }),
  )
} finally {
  clearInterval(sampler)
  server.close()
  await rt.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}
