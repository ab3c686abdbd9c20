import fs from 'node:fs'
import { sql } from 'kysely'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { randomUUID } from 'node:crypto'
import { renderInvoiceDocument } from '../domain/invoicing/document/render-invoice.server.js'
import { createCreditNoteCommand, createInvoiceDraftCommand, issueInvoiceCommand, defaultInvoiceFields } from '../domain/invoicing/invoice.commands.js'
import { ensureInvoicePdf } from '../domain/invoicing/invoice-pdf.js'
import { depositLines } from '../domain/invoicing/invoice-rules.js'
import { computeTotals } from '../domain/sales/quote-totals.js'
import { startRuntime } from '../runtime/runtime.js'
import { invoicingWorkspace, line } from './invoices-fixture.js'

// npm run invoices:sample -- --out DIR
//
// From a throwaway database: facture.pdf (three VAT rates and a discount), acompte.pdf (a
// 30 % deposit invoice), facture-finale.pdf (the final invoice deducting it) and avoir.pdf
// (a credit note on the first invoice), each issued through the real commands.

const { values: args } = parseArgs({ options: { out: { type: 'string' } } })
if (!args.out) {
  console.error('Usage : npm run invoices:sample -- --out DOSSIER')
  process.exit(2)
}
const out = path.resolve(args.out)
fs.mkdirSync(out, { recursive: true })
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-invoices-sample-'))
const rt = await startRuntime({ dataDir: dir, ephemeral: true, jobs: 'off', projector: false, log: () => {} })
try {
  const w = await invoicingWorkspace(rt.db)
  const write = async (id: string, name: string) => {
    await issueInvoiceCommand(rt.db, null, { ...w.ctx(), now: new Date() }, { id })
    const pdf = await ensureInvoicePdf(rt.db, w.workspaceId, id, renderInvoiceDocument)
    fs.writeFileSync(path.join(out, name), pdf!.bytes)
    console.log(`${name} : ${pdf!.document.number}`)
  }
  const lines = [
    line({ discount: { kind: 'percent', bps: 1000 } }),
    line({ description: 'Licence annuelle', unit: 'licence', quantity: '12', unit_price_cents: 1_990, vat_rate: 1000 }),
    line({ description: 'Guide de la menuiserie', unit: 'livre', quantity: '2', unit_price_cents: 2_500, vat_rate: 550 }),
  ]
  const invoice = await w.draft(lines, { kind: 'percent', bps: 500 } as never)
  await write(invoice, 'facture.pdf')

  // The deposit and the final invoice: lines of an order, 30 % first, then the rest.
  const order = [line({ description: 'Agencement de la boutique', quantity: '1', unit_price_cents: 1_200_000 })]
  const fields = { ...(await defaultInvoiceFields(rt.db, w.workspaceId, w.orgId)), contact_id: w.contactId }
  const depositId = randomUUID()
  await createInvoiceDraftCommand(rt.db, w.ctx(), { id: depositId, fields, lines: depositLines(computeTotals(order).vat, 3000, 'DEV-0001') })
  // A deposit invoice is type 386: set on the draft row before issue (the quote path does it through "Facturer").
  await rt.db.updateTable('invoices').set({ type_code: '386', deposit_bps: 3000 }).where('id', '=', depositId).execute()
  await write(depositId, 'acompte.pdf')
  const finalId = randomUUID()
  await createInvoiceDraftCommand(rt.db, w.ctx(), { id: finalId, fields, lines: order })
  const dep = await rt.db.selectFrom('invoices').select('total_ttc_cents').where('id', '=', depositId).executeTakeFirstOrThrow()
  await rt.db
    .updateTable('invoices')
    .set({
      deducts: sql`cast(cast(${JSON.stringify([depositId])} as text) as jsonb)`,
      amount_due_cents: sqlMinus(computeTotals(order).total_ttc_cents, Number(dep.total_ttc_cents)),
    })
    .where('id', '=', finalId)
    .execute()
  await write(finalId, 'facture-finale.pdf')

  const creditId = randomUUID()
  await createCreditNoteCommand(rt.db, w.ctx(), { id: creditId, invoiceId: invoice })
  await write(creditId, 'avoir.pdf')
} finally {
  await rt.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}

function sqlMinus(a: number, b: number) {
  return Math.max(0, a - b)
}
