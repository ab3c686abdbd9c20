import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveCompanySettingsCommand } from '../domain/sales/company-settings.js'
import { formatEuros } from '../domain/shared/money.js'
import { sendQuoteCommand } from '../domain/sales/quote.commands.js'
import { startTestApp, type TestApp } from './testing/app-server.js'
import { givenQuoteCustomer, quoteLine, TEST_COMPANY } from '../testing/quote-records.js'

// The quote PDF through real HTTP: figures as computed, legal mentions, a long quote
// that paginates with its header on every page, role/workspace checks. Text is read
// back with poppler's pdftotext; pages counted with pdfinfo. PNGs of the pages are kept
// in e2e/screenshots for a look.

let app: TestApp
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quote-pdf-'))
beforeAll(async () => {
  app = await startTestApp({ projector: false })
}, 120_000)
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u202f\u00a0]/g, ' ')
const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])
const eur = (c: number) => formatEuros(c).replace(/[\u202f\u00a0]/g, ' ')

async function download(client: Awaited<ReturnType<TestApp['login']>>, url: string, name: string) {
  const res = await client.request(url)
  expect(res.status, url).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/pdf')
  const file = path.join(tmp, name)
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))
  return file
}

function keepPngs(file: string, name: string) {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '../e2e/screenshots')
  fs.mkdirSync(dir, { recursive: true })
  execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(dir, name)])
}

describe('quote PDF', () => {
  it('prints the sent version: parties, lines, totals per VAT rate, conditions, mentions, signature block', async () => {
    const w = await givenQuoteCustomer(app.rt.db)
    const id = await w.quote(
      [
        quoteLine({
          description: 'Pose de parquet chêne\nPose flottante, sous-couche incluse',
          unit: 'm²',
          quantity: '42.5',
          unit_price_cents: 3_990,
          discount: { kind: 'percent', bps: 1000 },
        }),
        quoteLine({ description: 'Travaux de rénovation énergétique', unit: 'forfait', quantity: '1', unit_price_cents: 123_457, vat_rate: 550 }),
        quoteLine({ description: 'Déplacement', unit: 'km', quantity: '0.333', unit_price_cents: 1_001, vat_rate: 1000 }),
        quoteLine({ description: 'Sous-traitance bâtiment', quantity: '2', unit_price_cents: 50_000, vat_rate: 0, vat_exemption: 'Autoliquidation' }),
      ],
      { globalDiscount: { kind: 'amount', cents: 5_000 } },
    )
    const sent = await sendQuoteCommand(app.rt.db, w.ctx(w.users.commercial), { id })
    const v = sent.sent!
    const rep = await app.login(w.emails.commercial)
    const file = await download(rep, `/quotes/${id}/v/1.pdf`, 'sent.pdf')
    keepPngs(file, 'quote-pdf')
    const text = pdfText(file)
    const snap = v.snapshot as { totals: { vat: { rate: number; base_cents: number; vat_cents: number }[]; lines_net_cents: number }; number: string }
    for (const s of [
      'DEVIS',
      snap.number,
      'Menuiseries Dupont',
      'Boulangerie Martin',
      "À l'attention de Mme Claire Martin, Gérante",
      'Objet : Agencement de la boutique',
      'Pose de parquet chêne',
      '42,5',
      '10 %',
      'Autoliquidation',
      'Bon pour accord',
      `SHA-256 : ${v.sha256}`,
      "Devis reçu avant l'exécution des travaux",
      "Pas d'escompte pour paiement anticipé.",
      'indemnité forfaitaire pour frais de recouvrement de 40 €',
      'Menuiseries Dupont SARL au capital de 7 500,00 € — RCS Lyon 732 829 320',
      'IBAN FR76 3000 6000 0112 3456 7890 189',
      'Lignes à 0 % de TVA : Autoliquidation.',
    ]) {
      expect(text, s).toContain(s)
    }
    // Every figure of the totals block, as computed when it was sent.
    expect(text).toMatch(new RegExp(`Total HT avant remise\\s+${eur(snap.totals.lines_net_cents)}`))
    expect(text).toMatch(/Remise globale\s+-50,00 €/)
    expect(text).toMatch(new RegExp(`Total HT\\s+${eur(v.total_ht_cents)}`))
    for (const g of snap.totals.vat) expect(text).toMatch(new RegExp(`sur ${eur(g.base_cents)}\\s+${eur(g.vat_cents)}`))
    expect(text).toMatch(/TVA 5,5 % sur/)
    expect(text).toMatch(new RegExp(`Total TVA\\s+${eur(v.total_vat_cents)}`))
    expect(text).toMatch(new RegExp(`Total TTC\\s+${eur(v.total_ttc_cents)}`))

    // Settings changed later: the version's PDF does not move.
    await saveCompanySettingsCommand(app.rt.db, w.ctx(), { expectedVersion: 1, fields: { ...TEST_COMPANY, company_name: 'Dupont Agencement', iban: null } })
    const again = pdfText(await download(rep, `/quotes/${id}/v/1.pdf`, 'again.pdf'))
    expect(again).toContain('Menuiseries Dupont SARL au capital')
    expect(again).not.toContain('Dupont Agencement')
  })

  it('prints every character (embedded DejaVu Sans): CO₂, Łódź, ≥ 3 → ✓, and shows line discounts the same way', async () => {
    const w = await givenQuoteCustomer(app.rt.db)
    const id = await w.quote([
      quoteLine({ description: 'CO₂, Łódź, ≥ 3 → ✓', unit_price_cents: 10_000, discount: { kind: 'percent', bps: 1000 } }),
      quoteLine({ description: 'Réglage', unit_price_cents: 10_000, discount: { kind: 'amount', cents: 1_000 } }),
    ])
    await sendQuoteCommand(app.rt.db, w.ctx(w.users.commercial), { id })
    const rep = await app.login(w.emails.commercial)
    const file = await download(rep, `/quotes/${id}/v/1.pdf`, 'unicode.pdf')
    const text = pdfText(file)
    expect(text).toContain('CO₂, Łódź, ≥ 3 → ✓')
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    expect(fonts).toMatch(/DejaVuSans\s.*yes/)
    expect(fonts).not.toContain('Helvetica')
    // Both discounts as euros taken off; the rate under the one given as a rate.
    expect(text).toMatch(/-10,00 €/)
    expect(text).toContain('(10 %)')
    // The legal mentions share the signature block's page.
    const pages = text.split('\f').filter((p) => p.trim())
    const signPage = pages.find((p) => p.includes('Bon pour accord'))!
    expect(signPage).toContain("Pas d'escompte pour paiement anticipé.")
  })

  it('paginates a 60-line quote: header on every page, no split row, "Page n/N"', async () => {
    const w = await givenQuoteCustomer(app.rt.db)
    const lines = Array.from({ length: 60 }, (_, i) =>
      quoteLine({
        description: `Article ${String(i + 1).padStart(2, '0')} — fourniture et pose\nDétail de la prestation n° ${i + 1}`,
        quantity: String((i % 7) + 1),
        unit_price_cents: 1_000 + i * 137,
      }),
    )
    const id = await w.quote(lines)
    await sendQuoteCommand(app.rt.db, w.ctx(w.users.commercial), { id })
    const rep = await app.login(w.emails.manager)
    const file = await download(rep, `/quotes/${id}/v/1.pdf`, 'long.pdf')
    keepPngs(file, 'quote-pdf-long')
    const pages = pdfPages(file)
    expect(pages).toBeGreaterThan(1)
    const perPage = pdfText(file)
      .split('\f')
      .filter((p) => p.trim())
    expect(perPage).toHaveLength(pages)
    perPage.forEach((p, i) => {
      // Each page the lines run onto starts its part of the table with the header.
      if (p.includes('fourniture et pose')) expect(p).toMatch(/Désignation\s+Qté\s+Unité\s+PU HT\s+Remise\s+TVA\s+Total HT/)
      expect(p).toContain(`Page ${i + 1}/${pages}`)
    })
    expect(perPage.filter((p) => p.includes('fourniture et pose')).length).toBeGreaterThan(1)
    // Every line once, its two text lines on the same page.
    for (let i = 1; i <= 60; i++) {
      const page = perPage.findIndex((p) => p.includes(`Article ${String(i).padStart(2, '0')} —`))
      expect(page, `line ${i}`).toBeGreaterThanOrEqual(0)
      expect(perPage[page]).toContain(`Détail de la prestation n° ${i}`)
    }
  })

  it('previews a draft (watermarked, no hash) and refuses other workspaces, hidden organisations and unknown versions', async () => {
    const w = await givenQuoteCustomer(app.rt.db)
    const id = await w.quote()
    const rep = await app.login(w.emails.commercial)
    const draft = pdfText(await download(rep, `/quotes/${id}/v/brouillon.pdf`, 'draft.pdf'))
    expect(draft).toContain('— brouillon')
    expect(draft).toContain('Aperçu — document non envoyé')
    expect(draft).not.toContain('SHA-256')
    expect((await rep.request(`/quotes/${id}/v/1.pdf`)).status).toBe(404)
    await sendQuoteCommand(app.rt.db, w.ctx(w.users.commercial), { id })
    expect((await rep.request(`/quotes/${id}/v/brouillon.pdf`)).status).toBe(404)
    expect((await rep.request(`/quotes/${id}/v/1.pdf`)).status).toBe(200)
    // The organisation is owned by the commercial, outside the other commercial's reach; another workspace sees nothing.
    const other = await givenQuoteCustomer(app.rt.db)
    const stranger = await app.login(other.emails.admin)
    expect((await stranger.request(`/quotes/${id}/v/1.pdf`)).status).toBe(404)
    const finance = await app.login(w.emails.finance)
    expect((await finance.request(`/quotes/${id}/v/1.pdf`)).status).toBe(200)
  })
})
