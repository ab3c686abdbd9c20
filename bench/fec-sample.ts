import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fecAmount } from '../domain/accounting/fec.js'
import { lastClosedFiscalYear, writeFecFile } from '../runtime/fec-sample.js'
import { startRuntime } from '../runtime/runtime.js'
import { seedDemo } from '../seed/seed.js'

// npm run fec:sample -- --out DIR [--as-of AAAA-MM-JJ]
//
// Loads the demo (36 months of invoices and payments through the real commands) into a
// throwaway database, then writes the FEC of its last closed fiscal year to DIR, named
// <SIREN>FEC<AAAAMMJJ>.txt, for anyone to check with their own tools.

const { values: args } = parseArgs({ options: { out: { type: 'string' }, 'as-of': { type: 'string' } } })
if (!args.out) {
  console.error('Usage : npm run fec:sample -- --out DOSSIER [--as-of AAAA-MM-JJ]')
  process.exit(2)
}
if (args['as-of'] && !/^\d{4}-\d{2}-\d{2}$/.test(args['as-of'])) {
  console.error('--as-of attend une date AAAA-MM-JJ')
  process.exit(2)
}
const asOf = args['as-of'] ? new Date(`${args['as-of']}T00:00:00Z`) : new Date()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-fec-sample-'))
const rt = await startRuntime({ dataDir: dir, ephemeral: true, jobs: 'off', projector: false, seed: false, log: () => {} })
try {
  const { workspaceId } = await seedDemo(rt.db, { asOf, log: (m) => console.log(m) })
  const r = await writeFecFile(rt.db, { workspaceId, period: lastClosedFiscalYear(asOf), outDir: path.resolve(args.out) })
  console.log(
    `${r.file} : exercice du ${r.period.start} au ${r.period.end}, ${r.check.entries} écritures, ${r.check.lines} lignes, débit = crédit = ${fecAmount(r.check.debit_cents)} €`,
  )
} finally {
  await rt.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}
