import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { createDb } from '../../db/kysely.js'
import { readStream } from '../shared/run-command.js'
import { ValidationError } from '../shared/errors.js'
import type { ProductFields } from './product.js'
import { archiveProductCommand, createProductCommand, restoreProductCommand, updateProductCommand } from './product.commands.js'
import { analyseProductImport, commitProductImport } from './product-import.js'
import { listProducts } from './sales.queries.js'

let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase(), { max: 8 })
})
afterAll(async () => {
  await pg?.db.destroy()
})
const db = () => pg.db

const fields = (over: Partial<ProductFields> = {}): ProductFields => ({
  code: 'CONS-J',
  name: 'Journée de conseil',
  description: null,
  unit: 'jour',
  unit_price_cents: 85_000,
  vat_rate: 2000,
  vat_exemption: null,
  category: 'Conseil',
  ...over,
})
const enc = (s: string) => new TextEncoder().encode(s)
const fieldErrorsOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error('expected a ValidationError')
}

describe('catalogue commands', () => {
  it('creates, updates, archives and restores, each an event', async () => {
    const w = await givenWorkspace(db())
    const id = randomUUID()
    await createProductCommand(db(), w.ctx(), { id, fields: fields() })
    await updateProductCommand(db(), w.ctx(), { id, expectedVersion: 1, fields: fields({ unit_price_cents: 90_000 }) })
    await archiveProductCommand(db(), w.ctx(), { id, expectedVersion: 2 })
    expect(await listProducts(db(), w.workspaceId)).toEqual([])
    await restoreProductCommand(db(), w.ctx(), { id })
    expect((await listProducts(db(), w.workspaceId)).map((p) => [p.name, p.unit_price_cents, p.active])).toEqual([['Journée de conseil', 90_000, true]])
    expect((await readStream(db(), w.workspaceId, id)).map((e) => e.type)).toEqual(['ProductCreated', 'ProductUpdated', 'ProductArchived', 'ProductRestored'])
  })

  it('keeps names and codes unique among active products, accents and case folded', async () => {
    const w = await givenWorkspace(db())
    const first = randomUUID()
    await createProductCommand(db(), w.ctx(), { id: first, fields: fields() })
    expect(
      await fieldErrorsOf(createProductCommand(db(), w.ctx(), { id: randomUUID(), fields: fields({ name: 'JOURNEE DE CONSEIL', code: 'cons-j' }) })),
    ).toEqual({
      name: 'product.name.taken',
      code: 'product.code.taken',
    })
    // Two at once: the unique index decides, with the same message.
    const racing = await Promise.allSettled(
      [0, 1].map(() => createProductCommand(db(), w.ctx(), { id: randomUUID(), fields: fields({ name: 'Audit', code: null }) })),
    )
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = racing.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(lost.reason).toBeInstanceOf(ValidationError)
    expect(lost.reason.fieldErrors).toEqual({ name: 'product.name.taken' })
    // Archiving frees the name; restoring is refused while another active product has it.
    await archiveProductCommand(db(), w.ctx(), { id: first })
    await createProductCommand(db(), w.ctx(), { id: randomUUID(), fields: fields() })
    expect(await fieldErrorsOf(restoreProductCommand(db(), w.ctx(), { id: first }))).toMatchObject({ name: 'product.name.taken' })
    // Another workspace may use the same name.
    const other = await givenWorkspace(db())
    await createProductCommand(db(), other.ctx(), { id: randomUUID(), fields: fields() })
  })

  it('finds products by name or code, accents folded', async () => {
    const w = await givenWorkspace(db())
    await createProductCommand(db(), w.ctx(), {
      id: randomUUID(),
      fields: fields({ name: 'Développement spécifique', code: 'DEV-SPE', category: 'Développement' }),
    })
    await createProductCommand(db(), w.ctx(), { id: randomUUID(), fields: fields() })
    expect((await listProducts(db(), w.workspaceId, { q: 'developpement' })).map((p) => p.code)).toEqual(['DEV-SPE'])
    expect((await listProducts(db(), w.workspaceId, { q: 'cons-' })).map((p) => p.code)).toEqual(['CONS-J'])
  })
})

describe('CSV import of the catalogue', () => {
  const csv = [
    'Référence;Désignation;Unité;Prix HT;TVA;Mention;Catégorie',
    'CONS-J;Journée de conseil;jour;850,00;20;;Conseil', // 2
    'FORM-1;Formation management;jour;1 200,00;0;Exonération de TVA, article 261, 4, 4° du CGI;Formation', // 3
    'LIC-M;Licence CRM;licence/mois;49,90;20 %;;Logiciel', // 4
    'LIV-1;Guide pratique;unité;23,45;5,5;;Édition', // 5
    ';Sans prix;unité;;20;;', // 6: no price
    'BAD-1;Prix faux;unité;12.345;20;;', // 7: 3 decimals
    'BAD-2;TVA inconnue;unité;10;19,6;;', // 8
    'BAD-3;Exonéré sans mention;unité;10;0;;', // 9
    'CONS-J;Journée de conseil bis;jour;900;20;;Conseil', // 10: same code as line 2
  ].join('\r\n')

  it('reports the bad rows, commits the good ones in one go, and matches by code on a second import', async () => {
    const w = await givenWorkspace(db())
    const analysed = await analyseProductImport(db(), w.ctx(), { fileName: 'catalogue.csv', bytes: enc(csv) })
    expect(analysed.mapping).toEqual({ 0: 'code', 1: 'name', 2: 'unit', 3: 'unit_price', 4: 'vat_rate', 5: 'vat_exemption', 6: 'category' })
    expect(analysed.report).toMatchObject({ total: 9, valid: 4, toCreate: 4, toUpdate: 0, unchanged: 0 })
    expect(analysed.report.rejected).toEqual([
      { line: 6, reason: ['import.row.price.required'] },
      { line: 7, reason: [{ code: 'import.row.price.invalid', params: { value: '12.345' } }] },
      { line: 8, reason: [{ code: 'import.row.vat_rate.unknown', params: { value: '19,6' } }] },
      { line: 9, reason: ['vat.exemption.required'] },
      { line: 10, reason: [{ code: 'import.row.duplicate', params: { line: 2 } }] },
    ])
    expect(await listProducts(db(), w.workspaceId)).toEqual([])

    await commitProductImport(db(), w.ctx(), analysed.importId)
    const products = await listProducts(db(), w.workspaceId)
    expect(products.map((p) => [p.code, p.unit_price_cents, p.vat_rate, p.vat_exemption]).sort()).toEqual([
      ['CONS-J', 85_000, 2000, null],
      ['FORM-1', 120_000, 0, 'Exonération de TVA, article 261, 4, 4° du CGI'],
      ['LIC-M', 4_990, 2000, null],
      ['LIV-1', 2_345, 550, null],
    ])
    await expect(commitProductImport(db(), w.ctx(), analysed.importId)).rejects.toThrow('import.already_committed')

    // A new price list: matched by code (renamed too), empty cells keep what is known.
    const update = ['Code;Nom;Prix HT;TVA', 'CONS-J;Journée de conseil senior;950;', 'LIC-M;Licence CRM;49,90;20', 'NEW-1;Audit flash;1500;10'].join('\n')
    const again = await analyseProductImport(db(), w.ctx(), { fileName: 'tarifs-2027.csv', bytes: enc(update) })
    expect(again.report).toMatchObject({ total: 3, toCreate: 1, toUpdate: 1, unchanged: 1, rejected: [] })
    await commitProductImport(db(), w.ctx(), again.importId)
    const after = await listProducts(db(), w.workspaceId)
    expect(after.find((p) => p.code === 'CONS-J')).toMatchObject({
      name: 'Journée de conseil senior',
      unit_price_cents: 95_000,
      unit: 'jour',
      category: 'Conseil',
      version: 2,
    })
    expect(after.find((p) => p.code === 'NEW-1')).toMatchObject({ unit: 'unité', vat_rate: 1000 })
    expect(after).toHaveLength(5)
  })

  it('asks for the name and price columns', async () => {
    const w = await givenWorkspace(db())
    await expect(analyseProductImport(db(), w.ctx(), { fileName: 'x.csv', bytes: enc('Désignation;Couleur\nA;bleu') })).rejects.toThrow(
      'mapping: import.mapping.missing {"fields":"Prix unitaire HT (€)"}',
    )
  })

  it('reads a Windows-1252 file from French Excel', async () => {
    const w = await givenWorkspace(db())
    // "Désignation;Prix HT\r\nCafé;2,50" in Windows-1252 (é = 0xE9).
    const bytes = Uint8Array.from([...'D', 0xe9, ...'signation;Prix HT\r\nCaf', 0xe9, ...';2,50'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))))
    const analysed = await analyseProductImport(db(), w.ctx(), { fileName: 'excel.csv', bytes })
    expect(analysed.encoding).toBe('windows-1252')
    await commitProductImport(db(), w.ctx(), analysed.importId)
    expect((await listProducts(db(), w.workspaceId)).map((p) => [p.name, p.unit_price_cents, p.vat_rate])).toEqual([['Café', 250, 2000]])
  })
})
