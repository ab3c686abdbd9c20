import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { renderInvoiceDocument } from '../domain/invoicing/document/render-invoice.server.js'
import { issueInvoiceCommand } from '../domain/invoicing/invoice.commands.js'
import { ensureInvoicePdf } from '../domain/invoicing/invoice-pdf.js'
import { startRuntime } from '../runtime/runtime.js'
import { invoicingWorkspace, line } from './invoices-fixture.js'

// npm run bench:invoices [-- --issues 400 --renders 40 --issuers 8]
//
// On a throwaway embedded database: `issues_per_s` = drafts issued by the issue command
// alone (numbering, frozen document, one transaction) with --issuers at once, over the
// wall time; `render_p50_ms` / `render_p95_ms` = the render job's work per document
// (ensureInvoicePdf: renderInvoiceDocument + storing the PDF), one at a time. One JSON line.

const { values: args } = parseArgs({
  options: { issues: { type: 'string', default: '400' }, renders: { type: 'string', default: '40' }, issuers: { type: 'string', default: '8' } },
})
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-invoices-bench-'))
const rt = await startRuntime({ dataDir: dir, ephemeral: true, jobs: 'off', projector: false, log: () => {} })
try {
  const w = await invoicingWorkspace(rt.db)
  const n = Number(args.issues)
  const lines = [
    line(),
    line({ description: 'Licence', quantity: '12', unit_price_cents: 1_990, vat_rate: 1000 }),
    line({ description: 'Livre', vat_rate: 550, unit_price_cents: 2_500 }),
  ]
  const drafts: string[] = []
  for (let i = 0; i < n; i++) drafts.push(await w.draft(lines))
  const queue = [...drafts]
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: Number(args.issuers) }, async () => {
      for (let id = queue.pop(); id; id = queue.pop()) await issueInvoiceCommand(rt.db, null, { ...w.ctx(), now: new Date() }, { id })
    }),
  )
  const issueSeconds = (performance.now() - t0) / 1000
  const times: number[] = []
  for (const id of drafts.slice(0, Number(args.renders))) {
    const t = performance.now()
    await ensureInvoicePdf(rt.db, w.workspaceId, id, renderInvoiceDocument)
    times.push(performance.now() - t)
  }
  console.log(
    JSON.stringify({
      bench: 'invoices',
      issues: n,
      issuers: Number(args.issuers),
      issues_per_s: Math.round((n / issueSeconds) * 10) / 10,
      renders: times.length,
      render_p50_ms: pct(times, 50),
      render_p95_ms: pct(times, 95),
    }),
  )
} finally {
  await rt.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}
