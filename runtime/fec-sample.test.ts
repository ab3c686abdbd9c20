import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../db/kysely.js'
import { FEC_COLUMNS } from '../domain/accounting/fec.js'
import { loadCompanySettings } from '../domain/sales/company-settings.js'
import { TEST_NOW } from '../testing/clock.js'
import { createTestDatabase } from '../testing/test-runtime.js'
import { seedDemo } from '../seed/seed.js'
import { lastClosedFiscalYear, writeFecFile } from './fec-sample.js'

// `npm run fec:sample` on a small demo: the seed's invoicing step (real commands) feeds
// the journal, and the file of the last closed year is read back as the administration's
// tools read it — 18 columns, balanced entries, continuous numbers per journal, lettered
// payments, the collected VAT equal to the invoices' VAT.

let pg: ReturnType<typeof createDb>
let workspaceId: string
let out: string
beforeAll(async () => {
  pg = createDb(await createTestDatabase(), { max: 2 })
  workspaceId = (await seedDemo(pg.db, { seed: 11, organisations: 40, deals: 260, activitiesPerDeal: 0, asOf: TEST_NOW })).workspaceId
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'fec-sample-test-'))
})
afterAll(async () => {
  await pg?.db.destroy()
  if (out) fs.rmSync(out, { recursive: true, force: true })
})

const cents = (s: string) => Number(s.replace(',', ''))

describe('the FEC sample of the demo', () => {
  it('writes the last closed year, named as the law says, balanced and numbered without gaps', async () => {
    const period = lastClosedFiscalYear(TEST_NOW)
    expect(period.end.slice(4)).toBe('-12-31')
    const r = await writeFecFile(pg.db, { workspaceId, period, outDir: out })
    const { siren } = await loadCompanySettings(pg.db, workspaceId)
    expect(path.basename(r.file)).toBe(`${siren}FEC${period.end.replaceAll('-', '')}.txt`)

    const text = iconv.decode(fs.readFileSync(r.file), 'iso-8859-15')
    const [header, ...rows] = text.slice(0, -2).split('\r\n')
    expect(header.split('\t')).toEqual([...FEC_COLUMNS])
    const recs = rows.map((row) => {
      const f = row.split('\t')
      expect(f).toHaveLength(18)
      return Object.fromEntries(FEC_COLUMNS.map((c, i) => [c, f[i]])) as Record<(typeof FEC_COLUMNS)[number], string>
    })
    expect(recs.length).toBe(r.check.lines)
    const year = period.start.slice(0, 4).replace(/-/g, '')
    for (const x of recs) expect(x.EcritureDate.slice(0, 4)).toBe(year)

    // Every entry balanced; numbers 1, 2, 3… per journal in date order.
    const entries = new Map<string, { d: number; c: number; date: string }>()
    for (const x of recs) {
      const k = `${x.JournalCode}/${x.EcritureNum}`
      const e = entries.get(k) ?? { d: 0, c: 0, date: x.EcritureDate }
      e.d += cents(x.Debit)
      e.c += cents(x.Credit)
      entries.set(k, e)
    }
    for (const [k, e] of entries) expect(e.d, k).toBe(e.c)
    const journals = new Set(recs.map((x) => x.JournalCode))
    expect([...journals].sort()).toEqual(['BQ', 'VT'])
    for (const j of journals) {
      const nums = [...new Set(recs.filter((x) => x.JournalCode === j).map((x) => Number(x.EcritureNum)))]
      for (let i = 1; i < nums.length; i++) expect(nums[i]).toBe(nums[i - 1] + 1)
      const dates = nums.map((n) => entries.get(`${j}/${n}`)!.date)
      expect([...dates].sort()).toEqual(dates)
    }

    // Paid invoices are lettered; a deposit (4191) and a credit note appear.
    expect(recs.some((x) => x.CompteNum === '411' && x.EcritureLet !== '' && /^\d{8}$/.test(x.DateLet))).toBe(true)
    expect(recs.some((x) => x.CompteNum === '4191')).toBe(true)
    expect(recs.some((x) => x.EcritureLib.startsWith('Avoir '))).toBe(true)

    // Cross-check: the collected VAT of the file equals the VAT of the documents issued in the year.
    const vatInFile = recs.filter((x) => x.CompteNum.startsWith('4457')).reduce((a, x) => a + cents(x.Credit) - cents(x.Debit), 0)
    const docs = await pg.db
      .selectFrom('invoices')
      .select(['type_code', 'total_vat_cents', 'document'])
      .where('workspace_id', '=', workspaceId)
      .where('issue_date', '>=', period.start)
      .where('issue_date', '<=', period.end)
      .execute()
    const vatOfDocs = docs.reduce((a, d) => {
      const doc = d.document as { deducted_deposits: { vat: { vat_cents: number }[] }[] }
      const own = Number(d.total_vat_cents) - doc.deducted_deposits.reduce((s, dep) => s + dep.vat.reduce((t, v) => t + v.vat_cents, 0), 0)
      return a + (d.type_code === '381' ? -own : own)
    }, 0)
    expect(vatInFile).toBe(vatOfDocs)
  })
})
