import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCampaign, startCampaign } from '../domain/campaigns/campaign.commands.js'
import { svixSignature } from '../domain/campaigns/resend-webhooks.js'
import { runCampaignSlice } from '../domain/campaigns/send-engine.js'
import { givenCompanyAddress, givenConsentingContacts } from '../testing/campaign-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { fieldError, startTestApp, textOf, type TestApp } from './testing/app-server.js'

// The public links of a campaign e-mail through real HTTP (the built app): RFC 8058
// one-click unsubscribe (POST alone, no cookie, a foreign Origin accepted on that path
// only; GET never unsubscribes), the signed open pixel and click redirect (no open
// redirect), and Resend's Svix-signed webhooks (wrong signature, old time, replay).

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let mails: { to: string; html: string; text: string }[]
const secret = `whsec_${randomBytes(24).toString('base64')}`
const db = () => app.rt.db

beforeAll(async () => {
  process.env.RESEND_WEBHOOK_SECRET = secret
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(db())
  await givenCompanyAddress(db(), w.workspaceId, app.rt.now())
  await givenConsentingContacts(db(), w.workspaceId, 4, { tag: 'liens', now: app.rt.now() })
  const id = await createCampaign(db(), w.ctx(), {
    name: 'Invitation salon',
    subject: 'Invitation',
    body: 'Bonjour {{contact.prenom}}',
    buttonLabel: 'Je viens',
    buttonUrl: 'https://www.exemple.fr/salon?x=1',
    segment: { tags: ['liens'] },
  })
  await startCampaign(db(), null, w.ctx(), id)
  // The local mailbox (no RESEND_API_KEY): the e-mails land in outbound_emails.
  expect(await runCampaignSlice(db(), id, { transport: null, now: app.rt.now, appUrl: app.url })).toMatchObject({ status: 'completed' })
  mails = await db()
    .selectFrom('outbound_emails')
    .select(['to', 'html', 'text'])
    .where('workspace_id', '=', w.workspaceId)
    .where('template', '=', 'campaign')
    .orderBy('to')
    .execute()
  expect(mails).toHaveLength(4)
}, 120_000)
afterAll(async () => {
  await app?.stop()
  delete process.env.RESEND_WEBHOOK_SECRET
})

const linkIn = (html: string, re: RegExp) => {
  const m = re.exec(html.replaceAll('&amp;', '&'))
  if (!m) throw new Error(`no link ${re} in the e-mail`)
  return m[0].replace(app.url, '')
}
const unsubscribeOf = (html: string) => linkIn(html, new RegExp(`${app.url}/desabonnement/[0-9a-f-]{36}/[\\w-]+`))
const suppression = (email: string) =>
  db().selectFrom('email_suppressions').selectAll().where('workspace_id', '=', w.workspaceId).where('email', '=', email).executeTakeFirst()
const sendOf = (email: string) =>
  db().selectFrom('campaign_sends').selectAll().where('workspace_id', '=', w.workspaceId).where('email', '=', email).executeTakeFirstOrThrow()

describe('unsubscribe link', () => {
  it('shows a confirm page on GET and unsubscribes nobody', async () => {
    const m = mails[0]!
    const res = await fetch(app.url + unsubscribeOf(m.html))
    expect(res.status).toBe(200)
    const page = textOf(await res.text())
    expect(page).toContain(`Ne plus recevoir les e-mails commerciaux de Menuiseries Roche à l’adresse ${m.to}`)
    expect(await suppression(m.to)).toBeUndefined()
  })

  it('unsubscribes on the one-click POST alone: no cookie, a mail provider’s Origin', async () => {
    const m = mails[0]!
    const res = await fetch(app.url + unsubscribeOf(m.html), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://mail.google.com' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    })
    expect(res.status).toBe(200)
    expect(await suppression(m.to)).toMatchObject({ reason: 'unsubscribed' })
    expect(textOf(await (await fetch(app.url + unsubscribeOf(m.html))).text())).toContain('déjà désabonné')
  })

  it('refuses a forged tag, and keeps the Origin check everywhere else', async () => {
    const m = mails[1]!
    const forged = unsubscribeOf(m.html).replace(/\/[\w-]+$/, '/AAAAAAAAAAAAAAAAAAAAAA')
    const res = await fetch(app.url + forged, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(res.status).toBe(404)
    expect(await suppression(m.to)).toBeUndefined()
    const elsewhere = await fetch(`${app.url}/contacts/new`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://mail.google.com' },
      body: 'x=1',
      redirect: 'manual',
    })
    expect(elsewhere.status).toBe(403)
  })
})

describe('tracking links', () => {
  it('counts an open through the signed pixel only', async () => {
    const m = mails[1]!
    const pixel = linkIn(m.html, new RegExp(`${app.url}/t/o/[0-9a-f-]{36}/[\\w-]+`))
    const res = await fetch(app.url + pixel)
    expect(res.headers.get('content-type')).toBe('image/gif')
    const forged = await fetch(app.url + pixel.replace(/\/[\w-]+$/, '/AAAAAAAAAAAAAAAAAAAAAA'))
    expect(forged.headers.get('content-type')).toBe('image/gif')
    expect(await sendOf(m.to)).toMatchObject({ open_count: 1 })
  })

  it('redirects a signed click to its own target and nowhere else', async () => {
    const m = mails[2]!
    const click = linkIn(m.html, new RegExp(`${app.url}/t/c/[^"]+`))
    const res = await fetch(app.url + click, { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('https://www.exemple.fr/salon?x=1')
    const evil = click.replace(/u=[^&]+/, `u=${encodeURIComponent('https://pirate.example/')}`)
    const refused = await fetch(app.url + evil, { redirect: 'manual' })
    expect(refused.status).toBe(404)
    expect(refused.headers.get('location')).toBeNull()
    expect(await sendOf(m.to)).toMatchObject({ click_count: 1 })
  })
})

describe('Resend webhooks', () => {
  const deliver = (body: string, h: { id: string; ts: number; sig?: string }) =>
    fetch(`${app.url}/webhooks/resend`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'svix-id': h.id,
        'svix-timestamp': String(h.ts),
        'svix-signature': h.sig ?? svixSignature(secret, h.id, h.ts, body),
      },
      body,
    })
  const nowSeconds = () => Math.floor(app.rt.now().getTime() / 1000)

  it('applies a signed complaint once, and refuses a replay, a wrong signature and an old timestamp', async () => {
    const m = mails[3]!
    await db().updateTable('campaign_sends').set({ provider_id: 'resend-id-complaint' }).where('email', '=', m.to).execute()
    const body = JSON.stringify({ type: 'email.complained', created_at: app.rt.now().toISOString(), data: { email_id: 'resend-id-complaint', to: [m.to] } })
    const wrong = await deliver(body, {
      id: 'msg_wrong',
      ts: nowSeconds(),
      sig: svixSignature(`whsec_${randomBytes(24).toString('base64')}`, 'msg_wrong', nowSeconds(), body),
    })
    expect(wrong.status).toBe(401)
    const old = await deliver(body, { id: 'msg_old', ts: nowSeconds() - 6 * 60 })
    expect(old.status).toBe(401)
    expect(await suppression(m.to)).toBeUndefined()

    const ok = await deliver(body, { id: 'msg_complaint', ts: nowSeconds() })
    expect(ok.status).toBe(200)
    expect(await suppression(m.to)).toMatchObject({ reason: 'complaint' })
    expect(await sendOf(m.to)).toMatchObject({ complained_at: expect.any(Date) })
    const replay = await deliver(body, { id: 'msg_complaint', ts: nowSeconds() })
    expect(replay.status).toBe(409)
  })

  it('suppresses a permanent bounce, not a transient one', async () => {
    const [a, b] = [mails[1]!, mails[2]!]
    await db().updateTable('campaign_sends').set({ provider_id: 'resend-id-soft' }).where('email', '=', a.to).execute()
    await db().updateTable('campaign_sends').set({ provider_id: 'resend-id-hard' }).where('email', '=', b.to).execute()
    const soft = JSON.stringify({ type: 'email.bounced', data: { email_id: 'resend-id-soft', bounce: { type: 'Transient' } } })
    const hard = JSON.stringify({ type: 'email.bounced', data: { email_id: 'resend-id-hard', bounce: { type: 'Permanent' } } })
    expect((await deliver(soft, { id: 'msg_soft', ts: nowSeconds() })).status).toBe(200)
    expect((await deliver(hard, { id: 'msg_hard', ts: nowSeconds() })).status).toBe(200)
    expect(await suppression(a.to)).toBeUndefined()
    expect(await suppression(b.to)).toMatchObject({ reason: 'hard_bounce' })
  })
})

describe('campaign screens (plain forms, no JavaScript)', () => {
  it('refuses an unknown variable beside its field, schedules a campaign, and keeps commercials out', async () => {
    const manager = await app.login(w.emails.manager)
    const form = {
      name: 'Relance salon',
      subject: 'Bonjour {{contact.age}}',
      body: 'Bonjour {{contact.prenom | "Madame, Monsieur"}}',
      tag: 'liens',
      when: 'schedule',
      scheduled_at: '',
    }
    const bad = await manager.post('/campaigns/new', form)
    expect(bad.res.status).toBe(422)
    expect(fieldError(bad.html, 'subject')).toContain('Variable inconnue : contact.age')
    expect(fieldError(bad.html, 'scheduled_at')).toBeTruthy()
    expect(textOf(bad.html)).toContain('Bonjour {{contact.prenom | "Madame, Monsieur"}}')

    const at = new Date(app.rt.now().getTime() + 2 * 86_400_000)
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(at).replace(' ', 'T')
    const ok = await manager.post('/campaigns/new', { ...form, subject: 'Invitation, {{contact.prenom}}', scheduled_at: local })
    expect(ok.res.status).toBe(302)
    const page = await manager.get(ok.res.headers.get('location')!)
    expect(textOf(page.html)).toContain('Programmée')
    const row = await db().selectFrom('campaigns').select(['status', 'scheduled_at']).where('name', '=', 'Relance salon').executeTakeFirstOrThrow()
    expect(row.status).toBe('scheduled')
    expect(Math.abs(new Date(row.scheduled_at!).getTime() - at.getTime())).toBeLessThan(60_000)

    const rep = await app.login(w.emails.commercial)
    expect((await rep.get('/campaigns')).res.status).toBe(403)
  })
})
