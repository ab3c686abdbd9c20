import { randomUUID } from 'node:crypto'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldError, startTestApp, textOf, type TestApp } from '~/testing/app-server'
import { givenWorkspace } from '../../testing/fixtures'
import { testNow } from '../../testing/clock'
import { TEST_COMPANY } from '../../testing/quote-records'
import { postInvoiceIssued, postPaymentRecorded } from '../../domain/accounting/journal'
import { testInvoice } from '../../domain/invoicing/document/testing-documents'
import { saveCompanySettingsCommand } from '../../domain/sales/company-settings'
import { parisDay } from '../../domain/shared/paris-time'

// The accounting pages over real HTTP (built app): the chart of accounts and the FEC are
// for admins and finance only; the file holds only the session's workspace; a bad
// period or a missing SIREN is said in French instead of a file.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

async function givenBooks(name: string, buyer: string) {
  const w = await givenWorkspace(app.rt.db, name)
  await saveCompanySettingsCommand(app.rt.db, w.ctx(), { expectedVersion: 0, fields: TEST_COMPANY })
  const doc = testInvoice(testNow(), `F-${randomUUID().slice(0, 4)}`)
  const issued = { ...doc, seller: { ...doc.seller, workspace_id: w.workspaceId }, buyer: { ...doc.buyer, name: buyer } }
  await postInvoiceIssued(app.rt.db, w.ctx(), issued)
  await postPaymentRecorded(app.rt.db, w.ctx(), {
    id: randomUUID(),
    invoice_number: issued.number,
    customer_code: 'C00042',
    customer_name: buyer,
    date: issued.issue_date,
    amount_cents: issued.totals.total_ttc_cents,
    method: 'transfer',
  })
  return w
}

describe('accounting pages', () => {
  it('streams the FEC to finance and admins, of their workspace only; refuses managers and sales', async () => {
    const w = await givenBooks('Atelier Compta', 'Boulangerie Œuvre')
    await givenBooks('Autre Espace', 'Client Secret')
    const year = parisDay(testNow()).slice(0, 4)
    const q = `/accounting/fec/telecharger?du=${year}-01-01&au=${year}-12-31&encodage=latin9`

    for (const role of ['manager', 'commercial'] as const) {
      const c = await app.login(w.emails[role])
      expect((await c.get('/accounting/fec')).res.status).toBe(403)
      expect((await c.get(q)).res.status).toBe(403)
      expect((await c.get('/settings/accounting')).res.status).toBe(403)
    }
    const finance = await app.login(w.emails.finance)
    const page = await finance.get('/accounting/fec')
    expect(page.res.status).toBe(200)
    expect(textOf(page.html)).toContain('Vérifier et télécharger le FEC')

    const res = await finance.request(q)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${TEST_COMPANY.siren}FEC${year}1231.txt"`)
    const text = iconv.decode(Buffer.from(await res.arrayBuffer()), 'iso-8859-15')
    const rows = text.slice(0, -2).split('\r\n')
    expect(rows[0].split('\t')[0]).toBe('JournalCode')
    expect(rows.slice(1).every((r) => r.split('\t').length === 18)).toBe(true)
    expect(text).toContain('Boulangerie Œuvre')
    expect(text).not.toContain('Client Secret')
    // Paid in full: the invoice and its payment are lettered together.
    expect(rows.filter((r) => r.split('\t')[4] === '411').every((r) => r.split('\t')[13] === 'A')).toBe(true)

    // A bad period: the file's address sends back to the page, which says why.
    const back = await finance.request('/accounting/fec/telecharger?du=2026-13-01&au=2026-12-31')
    expect(back.status).toBe(302)
    expect(back.headers.get('location')).toBe('/accounting/fec?du=2026-13-01&au=2026-12-31')
    const bad = await finance.get('/accounting/fec?du=2026-13-01&au=2026-12-31')
    expect(bad.res.status).toBe(400)
    expect(textOf(bad.html)).toContain('Période invalide')
  })

  it('says a missing SIREN instead of producing a nameless file', async () => {
    const w = await givenWorkspace(app.rt.db, 'Sans Siren')
    const admin = await app.login(w.emails.admin)
    const { res, html } = await admin.get('/accounting/fec?du=2026-01-01&au=2026-12-31')
    expect(res.status).toBe(422)
    expect(textOf(html)).toContain('SIREN')
  })

  it('edits the chart of accounts without JavaScript, with French errors', async () => {
    const w = await givenWorkspace(app.rt.db, 'Plan Comptable')
    const admin = await app.login(w.emails.admin)
    const { html } = await admin.get('/settings/accounting')
    expect(html).toContain('value="445712"')
    const base = {
      version: '0',
      customers: '411',
      aux_prefix: 'C',
      revenue_default: '706',
      revenue_by_category: 'Marchandises = 707\nLogiciels = 7061',
      deposits: '4191',
      bank: '512',
      vat_2000: '445712',
      vat_1000: '445711',
      vat_550: '445715',
      vat_210: '445713',
      vat_0: '44571',
      sales_journal_code: 'VT',
      sales_journal_label: 'Ventes',
      bank_journal_code: 'BQ',
      bank_journal_label: 'Banque',
    }
    const wrong = await admin.post('/settings/accounting', { ...base, customers: '512', revenue_by_category: 'Logiciels 7061 oups', bank_journal_code: 'VT' })
    expect(wrong.res.status).toBe(422)
    expect(fieldError(wrong.html, 'revenue_by_category')).toContain('illisible')
    const wrong2 = await admin.post('/settings/accounting', { ...base, customers: '512', bank_journal_code: 'VT' })
    expect(fieldError(wrong2.html, 'customers')).toContain('Numéro de compte invalide')
    expect(fieldError(wrong2.html, 'bank_journal_code')).toContain('codes différents')
    const ok = await admin.post('/settings/accounting', { ...base, vat_2000: '4457120' })
    expect(ok.res.status).toBe(302)
    expect((await admin.get('/settings/accounting')).html).toContain('value="4457120"')
    const finance = await app.login(w.emails.finance)
    expect((await finance.get('/settings/accounting')).res.status).toBe(200)
  })
  it('gives finance the invoices and payments workbook, says a bad period in French, refuses managers and sales', async () => {
    const w = await givenBooks('Atelier Excel', 'Client Tableur')
    const year = parisDay(testNow()).slice(0, 4)
    const q = `/accounting/factures.xlsx?debut=${year}-01-01&fin=${year}-12-31`
    for (const role of ['manager', 'commercial'] as const) expect((await (await app.login(w.emails[role])).get(q)).res.status).toBe(403)
    const finance = await app.login(w.emails.finance)
    expect(textOf((await finance.get('/accounting/fec')).html)).toContain('Télécharger le classeur Excel')
    const file = await finance.get(q)
    expect(file.res.status).toBe(200)
    expect(file.res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(file.html.startsWith('PK')).toBe(true)
    const bad = await finance.get(`/accounting/factures.xlsx?debut=${year}-12-31&fin=${year}-01-01`)
    expect(bad.res.status).toBe(400)
    expect(bad.html).toContain('La date de début doit précéder la date de fin.')
    expect((await finance.get(`/accounting/factures.xlsx?debut=${year}-02-30&fin=x`)).res.status).toBe(400)
  })
})
