import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeQuoteLinesCommand, refuseQuoteCommand, reviseQuoteCommand, sendQuoteCommand, updateQuoteCommand } from '../domain/sales/quote.commands.js'
import { sendQuoteByEmail } from '../domain/sales/quote-link-send.js'
import { getQuote } from '../domain/sales/sales.queries.js'
import { DomainError } from '../domain/shared/errors.js'
import { fieldError, startTestApp, textOf, type TestApp } from './testing/app-server.js'
import { givenQuoteCustomer, quoteLine } from '../testing/quote-records.js'
import { TEST_NOW, testNow } from '../testing/clock.js'

// Sending and answering a quote through real HTTP (the built app, no JavaScript): the
// send page queues the e-mail with the private link; the link opens its own version
// only, is refused once expired or superseded; signing moves the deal to SIGNE and
// archives a signed PDF whose text carries the audit block; a signed quote cannot change.

let app: TestApp
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quote-sign-'))
beforeAll(async () => {
  app = await startTestApp({ projector: false })
}, 120_000)
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const pdfText = (bytes: ArrayBuffer | Buffer, name: string) => {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, Buffer.from(bytes as ArrayBuffer))
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u202f\u00a0]/g, ' ')
}
const db = () => app.rt.db
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
/** The hash a page shows in its element marked data-hash="…". */
const hashShown = (html: string, which: string) => new RegExp(`data-hash="${which}"[^>]*>\\s*([0-9a-f]{64})`).exec(html)?.[1]
// Quote numbers carry the Paris year of their creation, on the tests' clock (testing/clock.ts): never a literal year.
const parisYear = () => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' }).format(TEST_NOW)
const N = (n: number) => `DEV-${parisYear()}-${String(n).padStart(4, '0')}`

/** Sends through the domain (as the send page does) and returns the link's token. */
async function sent(w: Awaited<ReturnType<typeof givenQuoteCustomer>>, id: string) {
  const r = await sendQuoteByEmail(db(), null, w.ctx(w.users.commercial), { id, email: { to: w.email, subject: 'Devis', message: 'Bonjour' } })
  if (r.duplicate) throw new Error('duplicate')
  return r.token
}

describe('send page', () => {
  it('prefills the contact and a French message, then freezes the version and queues the e-mail with the private link', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    const rep = await app.login(w.emails.commercial)
    const { res, html } = await rep.get(`/quotes/${id}/send`)
    expect(res.status).toBe(200)
    const page = textOf(html)
    expect(html).toContain(`value="${w.email}"`)
    expect(page).toContain(`Devis ${N(1)} — Menuiseries Dupont`)
    expect(page.replace(/\s+/g, ' ')).toContain(
      `Bonjour Madame Martin, Veuillez trouver notre devis n° ${N(1)} « Agencement de la boutique », d’un montant de 3 060,00 € TTC (2 550,00 € HT)`,
    )
    const form = Object.fromEntries([...html.matchAll(/name="(commandId|version)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]))

    // A bad address: French error beside the field, nothing sent.
    const bad = await rep.post(`/quotes/${id}/send`, { ...form, to: 'claire@', subject: 'Devis', message: 'Bonjour' })
    expect(bad.res.status).toBe(422)
    expect(fieldError(bad.html, 'to')).toBe('Adresse e-mail invalide.')
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('brouillon')

    const ok = await rep.post(`/quotes/${id}/send`, { ...form, to: w.email, subject: 'Votre devis', message: 'Bonjour Claire,\n\nVoici notre proposition.' })
    expect(ok.res.status).toBe(302)
    expect(ok.res.headers.get('location')).toBe(`/quotes/${id}?envoye=1`)
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('envoye')
    const mail = await db()
      .selectFrom('outbound_emails')
      .selectAll()
      .where('workspace_id', '=', w.workspaceId)
      .where('template', '=', 'quote_sent')
      .executeTakeFirstOrThrow()
    expect(mail).toMatchObject({ to: w.email, subject: 'Votre devis', status: 'queued' })
    const token = /\/q\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]
    expect(mail.html).toContain(`/q/${token}`)
    // From the seller's rep on the sending domain, replies to the rep, paragraphs kept in the text part.
    const tag = w.emails.commercial.split('-')[1].split('@')[0]
    expect(mail.from_address).toBe(`"commercial ${tag} — Menuiseries Dupont" <no-reply@alforis.local>`)
    expect(mail.reply_to).toBe(w.emails.commercial)
    expect(mail.text).toContain('Bonjour Claire,\n\nVoici notre proposition.')
    const link = await db().selectFrom('quote_links').selectAll().where('quote_id', '=', id).executeTakeFirstOrThrow()
    expect(link.token_sha256).not.toContain(token)
    expect(link.email_id).toBe(mail.id)
    // The version's PDF travels with it.
    const files = await db().selectFrom('outbound_email_attachments').selectAll().where('email_id', '=', mail.id).execute()
    expect(files.map((f) => [f.filename, f.content_type])).toEqual([[`devis-${N(1)}-v1.pdf`, 'application/pdf']])
    expect(pdfText(files[0].content, 'attached.pdf')).toContain(`${N(1)}`)
    // The local mailbox lists it for the admin, with its Reply-To and its attachment (name, size, download).
    const admin = await app.login(w.emails.admin)
    expect(textOf((await admin.get('/admin/mailbox')).html)).toContain('Votre devis')
    const detail = textOf((await admin.get(`/admin/mailbox/${mail.id}`)).html)
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
    expect(detail).toContain(`Répondre à ${w.emails.commercial}`)
    expect(detail).toMatch(new RegExp(`Pièces jointes devis-${N(1)}-v1\\.pdf \\(\\d+ Ko\\) Télécharger`))
    const download = await admin.request(`/admin/mailbox/${mail.id}/attachments/0`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toContain(`filename="devis-${N(1)}-v1.pdf"`)
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(files[0].content))).toBe(true)
    expect((await rep.request(`/admin/mailbox/${mail.id}/attachments/0`)).status).toBe(403)
    // The version's PDF was kept when sent: the attachment and every download are the same bytes.
    const first = Buffer.from(await (await rep.request(`/quotes/${id}/v/1.pdf`)).arrayBuffer())
    const second = Buffer.from(await (await admin.request(`/quotes/${id}/v/1.pdf`)).arrayBuffer())
    expect(first.equals(second)).toBe(true)
    expect(first.equals(Buffer.from(files[0].content))).toBe(true)
    // The same form posted again sends nothing twice.
    const again = await rep.post(`/quotes/${id}/send`, { ...form, to: w.email, subject: 'Votre devis', message: 'Bonjour' })
    expect(again.res.status).toBe(302)
    expect(await db().selectFrom('quote_links').select('id').where('quote_id', '=', id).execute()).toHaveLength(1)
    // Finance reads quotes but never sends them.
    const finance = await app.login(w.emails.finance)
    expect((await finance.get(`/quotes/${id}/send`)).res.status).toBe(403)
  })
})

describe('send checks', () => {
  it("refuses to send while the buyer's address or the seller's legal details are missing, saying what to fill and where", async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    await db().updateTable('organisations').set({ address: null, city: '' }).where('id', '=', w.orgId).execute()
    const rep = await app.login(w.emails.commercial)
    const page = await rep.get(`/quotes/${id}/send`)
    expect(textOf(page.html)).toContain('L’adresse du client est incomplète (adresse, ville) : le devis ne peut pas être envoyé sans elle.')
    const form = Object.fromEntries([...page.html.matchAll(/name="(commandId|version)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    const refused = await rep.post(`/quotes/${id}/send`, { ...form, to: w.email, subject: 'Devis', message: 'Bonjour' })
    expect(refused.res.status).toBe(422)
    expect(textOf(refused.html)).toContain('Le devis ne peut pas partir sans l’adresse du client : complétez adresse, ville sur la fiche de l’organisation.')
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('brouillon')
    expect(await db().selectFrom('outbound_emails').select('id').where('workspace_id', '=', w.workspaceId).execute()).toHaveLength(0)

    const bare = await givenQuoteCustomer(db(), { company: false })
    const other = await bare.quote()
    await expect(
      sendQuoteByEmail(db(), null, bare.ctx(bare.users.commercial), { id: other, email: { to: bare.email, subject: 'Devis', message: 'Bonjour' } }),
    ).rejects.toThrow(/quote\.send\.seller_incomplete.*SIREN/)
    expect((await getQuote(db(), bare.workspaceId, other)).status).toBe('brouillon')
  })
})

describe('public link', () => {
  it('shows its own version with the same figures as the PDF, and never another quote', async () => {
    const w = await givenQuoteCustomer(db())
    const a = await w.quote(
      [quoteLine({ quantity: '0.333', unit_price_cents: 100_001, vat_rate: 550 }), quoteLine({ quantity: '2', unit_price_cents: 12_345 })],
      { globalDiscount: { kind: 'percent', bps: 500 } },
    )
    const b = await w.quote([quoteLine({ description: 'Autre chantier', unit_price_cents: 99_900 })])
    const tokenA = await sent(w, a)
    await sent(w, b)
    const visitor = app.client()
    const { res, html } = await visitor.get(`/q/${tokenA}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const page = textOf(html)
    expect(page).toContain(`Devis ${N(1)}`)
    expect(page).not.toContain(`${N(2)}`)
    expect(page).not.toContain('Autre chantier')
    const v = await db().selectFrom('quote_versions').selectAll().where('quote_id', '=', a).executeTakeFirstOrThrow()
    const pdf = pdfText(await (await visitor.request(`/q/${tokenA}.pdf`)).arrayBuffer(), 'a.pdf')
    const eur = (c: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(c / 100).replace(/[\u202f\u00a0]/g, ' ')
    for (const cents of [v.total_ht_cents, v.total_vat_cents, v.total_ttc_cents]) {
      expect(page).toContain(eur(cents))
      expect(pdf).toContain(eur(cents))
    }
    expect(pdf).toContain(`${N(1)}`)
    // Unknown tokens, malformed ones, a token's hash: 404.
    for (const t of ['x'.repeat(43), 'court', v.sha256]) expect((await visitor.request(`/q/${t}`)).status).toBe(404)
    const link = await db().selectFrom('quote_links').select('token_sha256').where('quote_id', '=', a).executeTakeFirstOrThrow()
    expect((await visitor.request(`/q/${link.token_sha256}`)).status).toBe(404)
  })

  it('is refused after expiry (410, French page, no answer possible)', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    const token = await sent(w, id)
    await db()
      .updateTable('quote_links')
      .set({ expires_at: new Date(testNow().getTime() - 1000) })
      .where('quote_id', '=', id)
      .execute()
    const visitor = app.client()
    const { res, html } = await visitor.get(`/q/${token}`)
    expect(res.status).toBe(410)
    expect(textOf(html)).toContain('Ce lien a expiré : la durée de validité du devis est dépassée.')
    expect(textOf(html)).not.toContain('Signer le devis')
    expect((await visitor.request(`/q/${token}.pdf`)).status).toBe(410)
    const post = await visitor.post(`/q/${token}`, { intent: 'accept', signer_name: 'Claire Martin', signer_title: 'Gérante', accept: 'on' }, { csrf: false })
    expect(post.res.status).toBe(410)
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('envoye')
  })

  it('stops signing once a later version is sent: the old link still shows its version (410)', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    const v1 = await sent(w, id)
    const q = await getQuote(db(), w.workspaceId, id)
    await changeQuoteLinesCommand(db(), w.ctx(w.users.commercial), {
      id,
      expectedVersion: q.version,
      lines: [quoteLine({ quantity: '4' })],
      globalDiscount: null,
    })
    const v2 = await sent(w, id)
    const visitor = app.client()
    const old = await visitor.get(`/q/${v1}`)
    expect(old.res.status).toBe(410)
    expect(textOf(old.html)).toContain('Une version plus récente de ce devis vous a été envoyée')
    expect(textOf(old.html)).toContain('Version 1')
    expect(textOf(old.html)).not.toContain('Signer le devis')
    const post = await visitor.post(`/q/${v1}`, { intent: 'accept', signer_name: 'Claire Martin', signer_title: 'Gérante', accept: 'on' }, { csrf: false })
    expect(post.res.status).toBe(410)
    const current = await visitor.get(`/q/${v2}`)
    expect(current.res.status).toBe(200)
    expect(textOf(current.html)).toContain('Version 2')
  })

  it('slows down token guessing: 429 after 30 unknown tokens from one address', async () => {
    const visitor = app.client()
    const ip = { 'X-Forwarded-For': '198.51.100.23' }
    for (let i = 0; i < 30; i++) expect((await visitor.get(`/q/${'a'.repeat(42)}${i % 10}`, ip)).res.status).toBe(404)
    expect((await visitor.get(`/q/${'b'.repeat(43)}`, ip)).res.status).toBe(429)
  })
})

describe('answering on the link (no JavaScript)', () => {
  it('signs with the typed name: deal SIGNE at the HT amount, signed PDF with the audit block, owner told; then nothing can change it', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote([quoteLine(), quoteLine({ description: 'Rénovation', quantity: '1', unit_price_cents: 45_678, vat_rate: 550 })])
    const token = await sent(w, id)
    const visitor = app.client()
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) TestSigner/1.0'
    const headers = { 'X-Forwarded-For': '203.0.113.7', 'User-Agent': ua }

    // Errors first: no name, box not ticked.
    const bad = await visitor.post(`/q/${token}`, { intent: 'accept', signer_name: ' ' }, { csrf: false, headers })
    expect(bad.res.status).toBe(422)
    expect(fieldError(bad.html, 'signer_name')).toBe('Saisissez votre nom complet (prénom et nom).')
    expect(fieldError(bad.html, 'signer_title')).toBe('Indiquez votre qualité (par exemple : gérant, directrice des achats).')
    expect(fieldError(bad.html, 'accept')).toBe('Cochez « J’accepte ce devis » pour le signer.')

    const ok = await visitor.post(
      `/q/${token}`,
      { intent: 'accept', signer_name: 'Claire Martin', signer_title: 'Gérante', accept: 'on' },
      { csrf: false, headers },
    )
    expect(ok.res.status).toBe(302)
    expect(ok.res.headers.get('location')).toBe(`/q/${token}?signe=1`)

    const quote = await getQuote(db(), w.workspaceId, id)
    expect(quote).toMatchObject({ status: 'accepte', accepted_revision: 1, signed_by: 'Claire Martin' })
    const deal = await db().selectFrom('deals').select(['stage', 'amount_cents']).where('id', '=', w.dealId!).executeTakeFirstOrThrow()
    expect(deal).toEqual({ stage: 'SIGNE', amount_cents: quote.total_ht_cents })
    const v = await db().selectFrom('quote_versions').select('sha256').where('quote_id', '=', id).executeTakeFirstOrThrow()
    const sig = await db().selectFrom('quote_signatures').selectAll().where('quote_id', '=', id).executeTakeFirstOrThrow()
    expect(sig).toMatchObject({
      decision: 'accepte',
      signer_name: 'Claire Martin',
      method: 'typed',
      ip: '203.0.113.7',
      user_agent: ua,
      version_sha256: v.sha256,
    })

    // The archived PDF, from the team's download and the signer's, byte for byte.
    const rep = await app.login(w.emails.commercial)
    const teamPdf = Buffer.from(await (await rep.request(`/quotes/${id}/signed.pdf`)).arrayBuffer())
    const signerPdf = Buffer.from(await (await visitor.request(`/q/${token}.pdf`)).arrayBuffer())
    expect(teamPdf.equals(Buffer.from(sig.signed_pdf!))).toBe(true)
    expect(signerPdf.equals(teamPdf)).toBe(true)
    const text = pdfText(teamPdf, 'signed.pdf')
    expect(text).toContain('Piste d’audit de la signature')
    expect(text).not.toContain('Certificat de signature')
    expect(text).toContain('Signataire : Claire Martin, Gérante')
    expect(text).toContain('Qualité : Gérante')
    expect(text).toContain('Adresse IP : 203.0.113.7')
    expect(text).toContain(`Navigateur : ${ua}`)
    // The hash in the proof is the one anyone recomputes from the version's PDF they received.
    const versionPdf = Buffer.from(await (await rep.request(`/quotes/${id}/v/1.pdf`)).arrayBuffer())
    expect(sig.version_pdf_sha256).toBe(sha256(versionPdf))
    const flat = text.replace(/\s+/g, ' ')
    expect(flat, flat.slice(flat.indexOf('Piste'))).toContain(`Empreinte SHA-256 du PDF du devis reçu et signé : ${sha256(versionPdf)}`)
    expect(flat).toContain(`Empreinte SHA-256 du contenu de la version : ${v.sha256}`)
    // Without a certificate configured, the seal is the signed PDF's hash, published on the quote page.
    expect(sig).toMatchObject({ seal: 'hash', signer_title: 'Gérante', signed_pdf_sha256: sha256(teamPdf) })
    const quotePage = await rep.get(`/quotes/${id}`)
    expect(hashShown(quotePage.html, 'signed-pdf')).toBe(sha256(teamPdf))
    expect(hashShown(quotePage.html, 'version-pdf')).toBe(sha256(versionPdf))
    expect(textOf(quotePage.html)).toContain('Piste d’audit de la signature — version 1')
    // The signer gets their copy: the signed PDF attached, its hash in the text, from the seller's rep.
    const receipt = await db()
      .selectFrom('outbound_emails')
      .selectAll()
      .where('workspace_id', '=', w.workspaceId)
      .where('template', '=', 'quote_signed')
      .executeTakeFirstOrThrow()
    expect(receipt.to).toBe(w.email)
    expect(receipt.from_address).toBe(`"commercial ${w.emails.commercial.split('-')[1].split('@')[0]} — Menuiseries Dupont" <no-reply@alforis.local>`)
    expect(receipt.reply_to).toBe(w.emails.commercial)
    expect(receipt.text).toContain(sha256(teamPdf))
    const attached = await db().selectFrom('outbound_email_attachments').selectAll().where('email_id', '=', receipt.id).execute()
    expect(attached.map((a) => [a.filename, a.content_type])).toEqual([[`devis-${N(1)}-v1-signe.pdf`, 'application/pdf']])
    expect(sha256(Buffer.from(attached[0].content))).toBe(sha256(teamPdf))
    // The signature time as Paris wall-clock, whatever the month or year: the app's clock (the tests' one) decided it.
    expect(Math.abs(new Date(sig.signed_at).getTime() - TEST_NOW.getTime())).toBeLessThan(3_600_000)
    const paris = Object.fromEntries(
      new Intl.DateTimeFormat('fr-FR', {
        timeZone: 'Europe/Paris',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(new Date(sig.signed_at))
        .map((p) => [p.type, p.value]),
    )
    expect(text).toContain(`Signé le : ${paris.day} ${paris.month} ${paris.year} à ${paris.hour}:${paris.minute}:${paris.second} (heure de Paris)`)
    // The page now says so and offers the signed copy; no form any more.
    const after = textOf((await visitor.get(`/q/${token}?signe=1`)).html)
    expect(after).toContain('Merci : votre signature est enregistrée.')
    expect(after).toContain('Devis signé par Claire Martin')
    expect(after).not.toContain('Refuser le devis')
    const afterHtml = (await visitor.get(`/q/${token}`)).html
    expect(afterHtml).not.toContain('name="intent"')
    expect(afterHtml).not.toContain('name="signer_title"')
    // The quote's creator is told.
    const n = await db()
      .selectFrom('notifications')
      .select(['title', 'link'])
      .where('user_id', '=', w.users.commercial)
      .where('kind', '=', 'quote_answered')
      .executeTakeFirstOrThrow()
    expect(n).toEqual({ title: `Devis ${N(1)} signé par Claire Martin`, link: `/quotes/${id}` })

    // A signed quote cannot be altered: every command is rejected, the link answers no more, the proof is immutable.
    const c = w.ctx(w.users.commercial)
    const rejected = async (p: Promise<unknown>) => {
      await expect(p).rejects.toBeInstanceOf(DomainError)
      await expect(p).rejects.toThrow(/^quote\.(accepted_is_final|already_accepted)\b/)
    }
    const fields = {
      organisation_id: w.orgId,
      contact_id: w.contactId,
      deal_id: w.dealId,
      title: 'Autre objet',
      validity_days: 30,
      payment_terms: null,
      notes: null,
    }
    await rejected(updateQuoteCommand(db(), c, { id, expectedVersion: quote.version, fields }))
    await rejected(changeQuoteLinesCommand(db(), c, { id, expectedVersion: quote.version, lines: [quoteLine({ quantity: '9' })], globalDiscount: null }))
    await rejected(reviseQuoteCommand(db(), c, { id }))
    await rejected(sendQuoteCommand(db(), c, { id }))
    await rejected(refuseQuoteCommand(db(), c, { id, reason: 'trop cher' }))
    const refuse = await visitor.post(`/q/${token}`, { intent: 'refuse', reason: 'finalement non' }, { csrf: false, headers })
    expect(refuse.res.status).toBe(409)
    expect(textOf(refuse.html)).toContain('Ce devis a déjà été signé.')
    await expect(db().updateTable('quote_signatures').set({ signer_name: 'Quelqu’un d’autre' }).where('quote_id', '=', id).execute()).rejects.toThrow(
      /immutable/,
    )
    await expect(db().deleteFrom('quote_signatures').where('quote_id', '=', id).execute()).rejects.toThrow(/immutable/)
    expect((await getQuote(db(), w.workspaceId, id)).version).toBe(quote.version)
  })

  it('refuses with a reason: quote Refusé, owner told, the link answers no more', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    const token = await sent(w, id)
    const visitor = app.client()
    const r = await visitor.post(`/q/${token}`, { intent: 'refuse', refuser_name: 'Claire Martin', reason: 'Budget reporté à 2027' }, { csrf: false })
    expect(r.res.status).toBe(302)
    expect(await getQuote(db(), w.workspaceId, id)).toMatchObject({ status: 'refuse', refusal_reason: 'Budget reporté à 2027' })
    expect(textOf((await visitor.get(`/q/${token}?refuse=1`)).html)).toContain('Vous avez refusé ce devis le')
    const n = await db()
      .selectFrom('notifications')
      .select(['title', 'body'])
      .where('user_id', '=', w.users.commercial)
      .where('kind', '=', 'quote_answered')
      .executeTakeFirstOrThrow()
    expect(n).toEqual({ title: `Devis ${N(1)} refusé`, body: 'Raison : Budget reporté à 2027' })
    const sign = await visitor.post(`/q/${token}`, { intent: 'accept', signer_name: 'Claire Martin', signer_title: 'Gérante', accept: 'on' }, { csrf: false })
    expect(sign.res.status).toBe(409)
  })
})
