import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, textOf, type TestApp } from '~/testing/app-server'
import { contractFields } from '../../testing/contract-records'
import { givenQuoteCustomer, quoteLine } from '../../testing/quote-records'
import { createContractCommand } from '../../domain/contracts/contract.commands'
import { createInvoiceDraftCommand, defaultInvoiceFields, issueInvoiceCommand } from '../../domain/invoicing/invoice.commands'
import { parisDay } from '../../domain/shared/paris-time'

// Invoicing over real HTTP (built app), forms posted as a browser without JavaScript
// does: finance creates, edits, issues, records a payment and a credit note; an issued
// invoice refuses edits by the route; reps read their clients' invoices and write
// nothing; another workspace's invoice is not found.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

const idOf = (location: string | null) => /\/invoices\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? ''

describe('invoices by their pages', () => {
  it('finance: draft, lines, issue, payment (over-payment refused in French), credit note; roles and workspaces', async () => {
    const w = await givenQuoteCustomer(app.rt.db, { dealStage: null })
    const finance = await app.login(w.emails.finance)
    await finance.get('/invoices/new')
    const created = await finance.post('/invoices/new', { organisation_id: w.orgId, commandId: crypto.randomUUID() })
    expect(created.res.status).toBe(302)
    const id = idOf(created.res.headers.get('location'))
    expect(id).not.toBe('')

    const page = await finance.get(`/invoices/${id}`)
    expect(page.res.status).toBe(200)
    const version = /name="version" value="(\d+)"/.exec(page.html)![1]
    const conditions = {
      contact_id: w.contactId,
      payment_terms_code: '30j',
      late_penalty_rate: '9,48',
      operation_category: 'services',
      delivery_date: '',
      notes: '',
    }
    // A bad quantity comes back beside its field, nothing saved.
    const bad = await finance.post(`/invoices/${id}`, {
      ...conditions,
      version,
      intent: 'save',
      line_count: '1',
      'lines.0.description': 'Audit',
      'lines.0.quantity': 'deux',
      'lines.0.unit_price': '1200',
      'lines.0.vat_rate': '2000',
      commandId: crypto.randomUUID(),
    })
    expect(bad.res.status).toBe(400)
    const saved = await finance.post(`/invoices/${id}`, {
      ...conditions,
      version,
      intent: 'save',
      line_count: '1',
      'lines.0.description': 'Audit',
      'lines.0.quantity': '2',
      'lines.0.unit_price': '1200',
      'lines.0.vat_rate': '2000',
      commandId: crypto.randomUUID(),
    })
    expect(saved.res.status).toBe(302)
    const draft = await finance.get(`/invoices/${id}`)
    expect(textOf(draft.html)).toContain('2 880,00')
    const v2 = /name="version" value="(\d+)"/.exec(draft.html)![1]
    const issued = await finance.post(`/invoices/${id}`, { intent: 'issue', version: v2, commandId: crypto.randomUUID() })
    expect(issued.res.status).toBe(302)
    const after = await finance.get(`/invoices/${id}`)
    expect(textOf(after.html)).toMatch(/Facture \d{4}-F-0001/)

    // The route refuses editing an issued invoice.
    const edit = await finance.post(`/invoices/${id}`, { ...conditions, version: '9', intent: 'save', line_count: '0', commandId: crypto.randomUUID() })
    expect(edit.res.status).toBe(409)
    expect(textOf(edit.html)).toContain('établissez un avoir')

    const over = await finance.post(`/invoices/${id}`, {
      intent: 'payment',
      paid_on: '2026-06-16',
      amount: '5 000',
      method: 'virement',
      commandId: crypto.randomUUID(),
    })
    expect(over.res.status).toBe(422)
    expect(textOf(over.html)).toContain('dépasse le reste à payer')
    const paid = await finance.post(`/invoices/${id}`, {
      intent: 'payment',
      paid_on: '2026-06-16',
      amount: '1 000',
      method: 'cheque',
      commandId: crypto.randomUUID(),
    })
    expect(paid.res.status).toBe(302)
    expect(textOf((await finance.get(`/invoices/${id}`)).html)).toContain('Partiellement payée')

    const pdf = await finance.request(`/invoices/${id}.pdf`)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const bytes = Buffer.from(await pdf.arrayBuffer())
    const again = Buffer.from(await (await finance.request(`/invoices/${id}.pdf`)).arrayBuffer())
    expect(Buffer.compare(bytes, again)).toBe(0)

    const credit = await finance.post(`/invoices/${id}`, { intent: 'credit_note', commandId: crypto.randomUUID() })
    expect(credit.res.status).toBe(302)
    const creditId = idOf(credit.res.headers.get('location'))
    expect(creditId).not.toBe(id)
    expect(textOf((await finance.get(`/invoices/${creditId}`)).html)).toContain('Avoir')

    // The rep who owns the client reads it, writes nothing.
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get(`/invoices/${id}`)).res.status).toBe(200)
    expect((await rep.get('/invoices')).html).toContain('F-0001')
    expect((await rep.post(`/invoices/${id}`, { intent: 'payment', paid_on: '2026-06-16', amount: '1', method: 'cheque' })).res.status).toBe(403)
    expect((await rep.get('/invoices/new')).res.status).toBe(403)

    // Another workspace's finance does not find it.
    const other = await givenQuoteCustomer(app.rt.db, { dealStage: null })
    const outsider = await app.login(other.emails.finance)
    expect((await outsider.get(`/invoices/${id}`)).res.status).toBe(404)
    expect((await outsider.post(`/invoices/${id}`, { intent: 'credit_note' })).res.status).toBe(404)
    expect((await outsider.request(`/invoices/${id}.pdf`)).status).toBe(404)
  }, 120_000)

  it('finance reconciles a bank statement and bills contract items by their pages, without JavaScript; reps are refused', async () => {
    const w = await givenQuoteCustomer(app.rt.db, { dealStage: null })
    const ctx = w.ctx(w.users.finance)
    const fields = { ...(await defaultInvoiceFields(app.rt.db, w.workspaceId, w.orgId)), contact_id: w.contactId }
    const invoiceId = crypto.randomUUID()
    await createInvoiceDraftCommand(app.rt.db, ctx, { id: invoiceId, fields, lines: [quoteLine()] })
    const { number } = await issueInvoiceCommand(app.rt.db, null, ctx, { id: invoiceId })
    const finance = await app.login(w.emails.finance)
    await finance.get('/invoices/bank')
    const upload = async (name: string, text: string) => {
      const form = new FormData()
      form.set('csrf', finance.csrf)
      form.set('file', new Blob([text]), name)
      const res = await finance.request('/invoices/bank', { method: 'POST', body: form })
      return { res, html: await res.text() }
    }
    const bad = await upload('notes.csv', 'nom;ville\nMartin;Lyon\n')
    expect(bad.res.status).toBeGreaterThanOrEqual(400)
    expect(textOf(bad.html)).toContain('Relevé illisible')
    const ok = await upload('releve.csv', `Date;Libellé;Montant\n16/06/2026;VIR BOULANGERIE MARTIN ${number};3 060,00\n`)
    expect(ok.res.status).toBe(302)
    const page = await finance.get(ok.res.headers.get('location')!)
    expect(textOf(page.html)).toContain('1 encaissements ajoutés')
    const lineId = /name="line_id" value="([0-9a-f-]{36})"/.exec(page.html)![1]
    expect(page.html).toContain(`<option value="${invoiceId}" selected="">`)
    const noInvoice = await finance.post('/invoices/bank', { line_id: lineId, invoice_id: '', intent: 'confirm' })
    expect(noInvoice.res.status).toBe(400)
    expect(textOf(noInvoice.html)).toContain('Choisissez la facture')
    const confirmed = await finance.post('/invoices/bank', { line_id: lineId, invoice_id: invoiceId, intent: 'confirm' })
    expect(confirmed.res.status).toBe(302)
    expect(textOf((await finance.get(`/invoices/${invoiceId}`)).html)).toContain('Payée')
    expect(textOf((await finance.get('/invoices/bank')).html)).toContain('Aucun encaissement à rapprocher')

    // A contract's due item becomes a draft invoice from the « Facturer les échéances » button.
    const today = parisDay(ctx.now)
    await createContractCommand(app.rt.db, ctx, {
      id: crypto.randomUUID(),
      activate: true,
      fields: contractFields(w.orgId, {
        title: 'Contrat de maintenance annuel',
        start_date: today,
        end_date: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      }),
    })
    const due = await finance.get('/invoices/echeances')
    expect(textOf(due.html)).toContain('Contrat de maintenance annuel')
    const run = await finance.post('/invoices/echeances', {})
    expect(run.res.status).toBe(302)
    expect(textOf((await finance.get(run.res.headers.get('location')!)).html)).toContain('1 facture(s) créée(s)')
    const drafts = await app.rt.db.selectFrom('invoices').select('status').where('workspace_id', '=', w.workspaceId).where('status', '=', 'brouillon').execute()
    expect(drafts).toHaveLength(1)

    const rep = await app.login(w.emails.commercial)
    expect((await rep.get('/invoices/bank')).res.status).toBe(403)
    expect((await rep.get('/invoices/echeances')).res.status).toBe(403)
    expect((await rep.post('/invoices/echeances', {})).res.status).toBe(403)
  }, 120_000)
})
