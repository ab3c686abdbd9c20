import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Document, Page, renderToBuffer, Text } from '@react-pdf/renderer'
import { createElement as h } from 'react'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { givenQuoteCustomer } from '../../testing/quote-records.js'
import { createDb } from '../../db/kysely.js'
import { deliverEmail } from '../mail/deliver-email.js'
import { createResendClient } from '../mail/resend-client.js'
import { resendMock } from '../mail/resend.mock.js'
import { sendQuoteByEmail } from './quote-link-send.js'
import { findQuoteLink } from './quote-link.js'
import { signQuoteByLink } from './quote-signature.js'
import { pdfFont, registerPdfFonts } from '../documents/pdf-fonts.js'
import { selfSignedP12 } from '../../testing/self-signed-p12.js'
import { testNow } from '../../testing/clock.js'
import { getQuote } from './sales.queries.js'

// Sending a quote by e-mail, down to Resend's request (emulated by msw): one
// transaction for the frozen version, the link, the e-mail and its PDF attachment.

const API_KEY = 're_test_quotes'
const resend = resendMock({ apiKey: API_KEY })
const server = setupServer(resend.handler)
let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  // react-pdf loads its layout engine from a data: URL; anything else unhandled is an error.
  server.listen({ onUnhandledRequest: (req, print) => (new URL(req.url).protocol === 'data:' ? undefined : print.error()) })
  pg = createDb(await createTestDatabase())
})
afterAll(async () => {
  await pg?.db.destroy()
  server.close()
})
const db = () => pg.db

const FAKE_PDF = Buffer.from('%PDF-1.7\n% devis de test\n%%EOF\n')

describe('sendQuoteByEmail', () => {
  it('attaches the version PDF and Resend receives it as base64 with its filename', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    const r = await sendQuoteByEmail(db(), null, w.ctx(w.users.commercial), {
      id,
      email: { to: w.email, subject: 'Votre devis', message: 'Bonjour' },
      renderPdf: async ({ snapshot, sha256 }) => {
        expect(sha256).toMatch(/^[0-9a-f]{64}$/)
        expect(snapshot.revision).toBe(1)
        return FAKE_PDF
      },
    })
    if (r.duplicate) throw new Error('duplicate')
    const row = await db().selectFrom('outbound_emails').select(['text']).where('id', '=', r.emailId).executeTakeFirstOrThrow()
    expect(row.text).toContain('Le devis est joint à cet e-mail au format PDF.')
    const out = await deliverEmail(db(), r.emailId, { resend: createResendClient({ apiKey: API_KEY }) })
    expect(out).toMatchObject({ status: 'sent', provider: 'resend' })
    expect(resend.delivered).toHaveLength(1)
    const body = resend.delivered[0].body as {
      from: string
      reply_to: string
      to: string
      subject: string
      attachments: { filename: string; content: string; content_type: string }[]
      html: string
    }
    // In the seller's name on the sending domain; the customer's reply reaches the rep.
    const tag = w.emails.commercial.split('-')[1].split('@')[0]
    expect(body).toMatchObject({
      from: `"commercial ${tag} — Menuiseries Dupont" <no-reply@alforis.local>`,
      reply_to: w.emails.commercial,
      to: w.email,
      subject: 'Votre devis',
    })
    expect(body.html).toContain(`/q/${r.token}`)
    expect(body.attachments).toEqual([{ filename: 'devis-DEV-2026-0001-v1.pdf', content: FAKE_PDF.toString('base64'), content_type: 'application/pdf' }])
    // The version's PDF is kept as sent, under its hash.
    const v = await db().selectFrom('quote_versions').select('pdf_sha256').where('quote_id', '=', id).executeTakeFirstOrThrow()
    expect(v.pdf_sha256).toBe(createHash('sha256').update(FAKE_PDF).digest('hex'))
  })

  it('seals the signed PDF with the company certificate when configured (PAdES) and sends the signer their copy', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    const r = await sendQuoteByEmail(db(), null, w.ctx(w.users.commercial), { id, email: { to: w.email, subject: 'Devis', message: 'Bonjour' } })
    if (r.duplicate) throw new Error('duplicate')
    const link = (await findQuoteLink(db(), r.token))!
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seal-'))
    const p12 = path.join(dir, 'societe.p12')
    fs.writeFileSync(p12, selfSignedP12('Menuiseries Dupont', 'secret'))
    process.env.PDF_SIGN_P12_PATH = p12
    process.env.PDF_SIGN_P12_PASSPHRASE = 'secret'
    try {
      registerPdfFonts()
      const signed = await signQuoteByLink(db(), null, link, {
        signerName: 'Claire Martin',
        signerTitle: 'Gérante',
        accepted: true,
        drawing: null,
        ip: null,
        userAgent: null,
        now: testNow(),
        versionPdfSha256: null,
        renderSignedPdf: async (p) =>
          renderToBuffer(h(Document, null, h(Page, { style: pdfFont.regular }, h(Text, null, `Signé par ${p.signerName}, ${p.signerTitle}`)))),
      })
      expect(signed.signature.seal).toBe('pades')
      const row = await db()
        .selectFrom('quote_signatures')
        .select(['signed_pdf', 'signed_pdf_sha256', 'seal'])
        .where('quote_id', '=', id)
        .executeTakeFirstOrThrow()
      const file = path.join(dir, 'signe.pdf')
      fs.writeFileSync(file, row.signed_pdf!)
      expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toContain('Signature Validation: Signature is Valid.')
      expect(createHash('sha256').update(row.signed_pdf!).digest('hex')).toBe(row.signed_pdf_sha256)
      const receipt = await db()
        .selectFrom('outbound_emails')
        .select(['id', 'to', 'text'])
        .where('template', '=', 'quote_signed')
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
      expect(receipt.to).toBe(w.email)
      expect(receipt.text).toContain(row.signed_pdf_sha256!)
      const att = await db().selectFrom('outbound_email_attachments').select('content').where('email_id', '=', receipt.id).executeTakeFirstOrThrow()
      expect(Buffer.from(att.content).equals(Buffer.from(row.signed_pdf!))).toBe(true)
    } finally {
      delete process.env.PDF_SIGN_P12_PATH
      delete process.env.PDF_SIGN_P12_PASSPHRASE
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('changes nothing when any step fails (here the PDF): no version, no link, no e-mail', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    await expect(
      sendQuoteByEmail(db(), null, w.ctx(w.users.commercial), {
        id,
        email: { to: w.email, subject: 'Votre devis', message: 'Bonjour' },
        renderPdf: async () => {
          throw new Error('rendu impossible')
        },
      }),
    ).rejects.toThrow('rendu impossible')
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('brouillon')
    expect(await db().selectFrom('quote_versions').select('revision').where('quote_id', '=', id).execute()).toEqual([])
    expect(await db().selectFrom('quote_links').select('id').where('quote_id', '=', id).execute()).toEqual([])
    expect(await db().selectFrom('outbound_emails').select('id').where('workspace_id', '=', w.workspaceId).execute()).toEqual([])
  })

  it('refuses a bad recipient, subject or message in French, before touching anything', async () => {
    const w = await givenQuoteCustomer(db())
    const id = await w.quote()
    await expect(sendQuoteByEmail(db(), null, w.ctx(w.users.commercial), { id, email: { to: 'claire', subject: ' ', message: '' } })).rejects.toMatchObject({
      fieldErrors: { to: 'email.invalid', subject: 'quote.email.subject.required', message: 'quote.email.message.required' },
    })
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('brouillon')
  })
})
