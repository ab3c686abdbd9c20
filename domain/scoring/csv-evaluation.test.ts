import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { evaluateCsv, MappingError, parseMapping, parseOrder, type Mapping } from './csv-evaluation.js'
import { seededRandom } from './random.js'
import { syntheticDeals } from './synthetic.js'

// Opportunity exports built here from deals with a known signal: 1,500 closed + some open.
function exportRows(n = 1500) {
  const ds = syntheticDeals(n, 21)
  const r = seededRandom(9)
  const regions = ['Île-de-France', 'Bretagne', 'Occitanie']
  const rows = Array.from({ length: n }, (_, i) => {
    const won = ds.y[i] === 1
    const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000)
    return {
      Result: i % 25 === 0 ? 'Open' : won ? 'Won' : 'Lost',
      Created: day,
      Region: regions[Math.floor(r() * 3)],
      'Client size': String(ds.column('size')[i]),
      Amount: String(ds.column('amount')[i]),
      Activities: String(ds.column('activities')[i]),
      Sector: String(ds.column('sector')[i]),
      // Filled only when the deal was won: the classic leak a user forgets to declare.
      'Signed by': won ? 'M. Durand' : '',
      'Days to close': String(Math.floor(r() * 90)),
    }
  })
  return rows
}

const MAPPING: Mapping = {
  outcome: { column: 'Result', won: 'Won', lost: 'Lost' },
  order: 'Created',
  features: { Region: 'categorical', 'Client size': ['Petite', 'Moyenne', 'Grande'], Amount: 'numeric', Activities: 'ordinal', Sector: 'categorical' },
  after_close: ['Days to close'],
}

function toCsv(rows: ReturnType<typeof exportRows>, sep: string, date: (d: Date) => string) {
  const headers = Object.keys(rows[0])
  const lines = rows.map((r) => headers.map((h) => (h === 'Created' ? date(r.Created) : String(r[h as keyof typeof r]))).join(sep))
  return [headers.join(sep), ...lines].join('\r\n')
}

describe('ml:evaluate on a CSV export', () => {
  const rows = exportRows()

  it('evaluates a UTF-8, comma-separated export with ISO dates, leaves open deals out and flags the leaky column', () => {
    const warnings: string[] = []
    const res = evaluateCsv(Buffer.from(toCsv(rows, ',', (d) => d.toISOString().slice(0, 10))), MAPPING, (w) => warnings.push(w))
    expect(res.rows).toBe(rows.filter((r) => r.Result !== 'Open').length)
    expect(res.model.auc).toBeGreaterThan(0.7)
    expect(res.baseline.auc).toBeGreaterThan(0.65)
    expect(Object.keys(res.model).sort()).toEqual(['auc', 'brier', 'ece', 'precision', 'recall'])
    expect(res.leaks.map((l) => l.column)).toEqual(['Signed by'])
    expect(warnings).toContain(`${rows.filter((r) => r.Result === 'Open').length} ligne(s) ni "Won" ni "Lost" : écartées.`)
    expect(warnings.some((w) => w.includes('Signed by'))).toBe(true)
  })

  it('reads a Windows-1252, semicolon-separated export with dd/mm/yyyy dates, and never reads an after_close column', () => {
    const fr = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`
    const csv = (closeValue: (i: number) => string) =>
      iconv.encode(
        toCsv(
          rows.map((r, i) => ({ ...r, 'Days to close': closeValue(i) })),
          ';',
          fr,
        ),
        'win1252',
      )
    const a = evaluateCsv(
      csv((i) => String(i % 7)),
      MAPPING,
    )
    // A column known only after the close that would predict perfectly changes nothing.
    const b = evaluateCsv(
      csv((i) => (rows[i].Result === 'Won' ? '1' : '999')),
      MAPPING,
    )
    expect(b).toEqual(a)
    expect(a.rows).toBe(rows.filter((r) => r.Result !== 'Open').length)
  })

  it('refuses a mapping that lists a column both as a feature and as known after the close', () => {
    expect(() => parseMapping({ ...MAPPING, after_close: ['Amount'] })).toThrow(MappingError)
    expect(() => parseMapping({ ...MAPPING, features: { Region: 'texte' } })).toThrow(/type inconnu/)
    expect(() => parseMapping({ ...MAPPING, outcome: { column: 'Result', won: 'Won' } })).toThrow(/outcome/)
    expect(parseMapping(JSON.parse(JSON.stringify(MAPPING)))).toEqual(MAPPING)
  })

  it('names the columns the file lacks', () => {
    const csv = Buffer.from(toCsv(rows, ',', (d) => d.toISOString()))
    expect(() => evaluateCsv(csv, { ...MAPPING, features: { Région: 'categorical' } })).toThrow(/Région/)
  })

  it('reads the order column as an ISO date, a French date or a number', () => {
    expect(parseOrder('2024-03-05')).toBe(Date.UTC(2024, 2, 5))
    expect(parseOrder('05/03/2024')).toBe(Date.UTC(2024, 2, 5))
    expect(parseOrder('31/02/2024')).toBeNaN()
    expect(parseOrder('42')).toBe(42)
    expect(parseOrder('')).toBeNaN()
  })

  it('prints exactly one JSON line on stdout and its warnings on stderr (the CLI)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-evaluate-'))
    fs.writeFileSync(
      path.join(dir, 'export.csv'),
      toCsv(rows.slice(0, 800), ',', (d) => d.toISOString()),
    )
    fs.writeFileSync(path.join(dir, 'mapping.json'), JSON.stringify(MAPPING))
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'runtime/cli/ml-evaluate.ts', '--csv', path.join(dir, 'export.csv'), '--mapping', path.join(dir, 'mapping.json')],
      { cwd: path.resolve(import.meta.dirname, '../..') },
    )
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(Object.keys(JSON.parse(lines[0]))).toEqual(['rows', 'model', 'baseline', 'leaks'])
    expect(stderr).toContain('Signed by')
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
