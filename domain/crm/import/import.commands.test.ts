import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../../testing/fixtures.js'
import { startTestRuntime } from '../../../testing/test-runtime.js'
import { withLuhnDigit } from '../french-ids.js'
import { analyseImport, commitImport } from './import.commands.js'
import { readCsv } from './csv.js'
import { analyseProductImport, commitProductImport } from '../../sales/product-import.js'
import { ValidationError } from '../../shared/errors.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const enc = (s: string) => new TextEncoder().encode(s)
const siren = (i: number) => withLuhnDigit(String(10_000_000 + i))

function organisationsCsv(n: number, bad: Record<number, string>) {
  const lines = ['Raison sociale;SIREN;Code postal;Ville;Statut']
  for (let i = 0; i < n; i++) lines.push(bad[i] ?? `Société ${i};${siren(i)};69003;Lyon;Client`)
  return lines.join('\r\n')
}

const count = async (ws: string) =>
  Number(
    (
      await rt.db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspace_id', '=', ws)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('CSV import of organisations', () => {
  it('reports exactly the bad rows of a 1,000-row file and commits nothing until confirmed', async () => {
    const w = await givenWorkspace(rt.db)
    const csv = organisationsCsv(1000, {
      10: 'Société 10;123456789;69003;Lyon;Client', // bad SIREN key
      500: ';' + siren(500) + ';69003;Lyon;Client', // no name
      998: 'Société 998;' + siren(998) + ';690;Lyon;Client', // bad postal code
    })
    const analysed = await analyseImport(rt.db, w.ctx(), { entity: 'organisations', fileName: 'clients.csv', bytes: enc(csv) })
    expect(analysed.mapping).toMatchObject({ 0: 'name', 1: 'siren', 2: 'postal_code', 3: 'city', 4: 'status' })
    expect(analysed.report).toMatchObject({ total: 1000, valid: 997, toCreate: 997, toUpdate: 0, unchanged: 0 })
    expect(analysed.report.rejected).toEqual([
      { line: 12, reason: ['organisation.siren.invalid'] },
      { line: 502, reason: ['name.required'] },
      { line: 1000, reason: ['postal_code.invalid'] },
    ])
    expect(await count(w.workspaceId)).toBe(0)

    const committed = await commitImport(rt.db, w.ctx(), analysed.importId)
    expect(committed.toCreate).toBe(997)
    expect(await count(w.workspaceId)).toBe(997)
    await expect(commitImport(rt.db, w.ctx(), analysed.importId)).rejects.toThrow('import.already_committed')
  })

  it('does not duplicate when the same file is imported again', async () => {
    const w = await givenWorkspace(rt.db)
    const csv = organisationsCsv(20, {})
    const first = await analyseImport(rt.db, w.ctx(), { entity: 'organisations', fileName: 'a.csv', bytes: enc(csv) })
    await commitImport(rt.db, w.ctx(), first.importId)
    const again = await analyseImport(rt.db, w.ctx(), { entity: 'organisations', fileName: 'a.csv', bytes: enc(csv) })
    expect(again.report).toMatchObject({ toCreate: 0, toUpdate: 0, unchanged: 20 })
    await commitImport(rt.db, w.ctx(), again.importId)
    expect(await count(w.workspaceId)).toBe(20)
  })

  it('never touches another workspace, even with the same SIRENs', async () => {
    const a = await givenWorkspace(rt.db)
    const b = await givenWorkspace(rt.db)
    const csv = organisationsCsv(5, {})
    await commitImport(rt.db, a.ctx(), (await analyseImport(rt.db, a.ctx(), { entity: 'organisations', fileName: 'a.csv', bytes: enc(csv) })).importId)
    const inB = await analyseImport(rt.db, b.ctx(), { entity: 'organisations', fileName: 'a.csv', bytes: enc(csv) })
    expect(inB.report.toCreate).toBe(5)
    await expect(
      commitImport(rt.db, b.ctx(), (await analyseImport(rt.db, a.ctx(), { entity: 'organisations', fileName: 'a.csv', bytes: enc(csv) })).importId),
    ).rejects.toThrow('import.not_found')
  })

  it('imports contacts linked to organisations by SIREN, refusing unknown ones', async () => {
    const w = await givenWorkspace(rt.db)
    await commitImport(
      rt.db,
      w.ctx(),
      (await analyseImport(rt.db, w.ctx(), { entity: 'organisations', fileName: 'o.csv', bytes: enc(organisationsCsv(2, {})) })).importId,
    )
    const csv = [
      'Civilité,Prénom,Nom,E-mail,Téléphone,Société',
      `Mme,Claire,Morel,claire.morel@exemple.fr,06 11 22 33 44,${siren(0)}`,
      `M.,Hugo,Petit,hugo@exemple.fr,01 23 45 67 89,Société 1`,
      `M.,Paul,Inconnu,paul@exemple.fr,,Nulle Part SARL`,
    ].join('\n')
    const r = await analyseImport(rt.db, w.ctx(), { entity: 'contacts', fileName: 'c.csv', bytes: enc(csv) })
    expect(r.report.rejected).toEqual([{ line: 4, reason: [{ code: 'import.row.organisation.not_found', params: { value: 'Nulle Part SARL' } }] }])
    await commitImport(rt.db, w.ctx(), r.importId)
    const rows = await rt.db
      .selectFrom('contacts')
      .select(['last_name', 'phones', 'civility'])
      .where('workspace_id', '=', w.workspaceId)
      .orderBy('last_name')
      .execute()
    expect(rows).toEqual([
      { last_name: 'Morel', phones: ['+33611223344'], civility: 'Mme' },
      { last_name: 'Petit', phones: ['+33123456789'], civility: 'M.' },
    ])
  })
})

describe('reading CSV files', () => {
  it('decodes Excel’s Windows-1252 exports and semicolons', () => {
    const bytes = new Uint8Array([...enc('Soci'), 0xe9, ...enc('t'), 0xe9, ...enc(';Ville\r\nCaf'), 0xe9, ...enc(' du Port;S'), 0xe8, ...enc('te\r\n')])
    const t = readCsv(bytes)
    expect(t).toMatchObject({ encoding: 'windows-1252', delimiter: ';', headers: ['Société', 'Ville'], rows: [['Café du Port', 'Sète']] })
  })
})

describe('imports in both encodings French users save', () => {
  const NAME = 'Sœurs Bœuf – L’Œnothèque'
  // eslint-disable-next-line no-control-regex -- the very characters that must be absent
  const C1 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
  const files = {
    'windows-1252': (s: string) => new Uint8Array(iconv.encode(s, 'win1252')),
    'utf-8': (s: string) => enc(s),
  }
  for (const [encoding, bytes] of Object.entries(files)) {
    it(`imports organisations, contacts and products from ${encoding} with œ Œ ’ – € … intact`, async () => {
      const w = await givenWorkspace(rt.db)
      const orgs = bytes(`Raison sociale;Ville;Secteur\r\n${NAME};Besançon;Caves … et vins\r\n`)
      const a = await analyseImport(rt.db, w.ctx(), { entity: 'organisations', fileName: 'o.csv', bytes: orgs })
      expect(a.encoding).toBe(encoding)
      await commitImport(rt.db, w.ctx(), a.importId)
      const org = await rt.db.selectFrom('organisations').select(['name', 'city', 'sector']).where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
      expect(org).toEqual({ name: NAME, city: 'Besançon', sector: 'Caves … et vins' })

      const contacts = bytes(`Prénom;Nom;Fonction;Société\r\nŒdipe;Lœb;Directeur – achats;${NAME}\r\n`)
      const c = await analyseImport(rt.db, w.ctx(), { entity: 'contacts', fileName: 'c.csv', bytes: contacts })
      expect(c.report.rejected).toEqual([])
      await commitImport(rt.db, w.ctx(), c.importId)
      const contact = await rt.db
        .selectFrom('contacts')
        .select(['first_name', 'last_name', 'job_title'])
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
      expect(contact).toEqual({ first_name: 'Œdipe', last_name: 'Lœb', job_title: 'Directeur – achats' })

      const products = bytes('Désignation;Prix HT;Description\r\nCuvée « L’Œnothèque »;12,50;Carton de 6 – 75 cl, 15 € la bouteille…\r\n')
      const p = await analyseProductImport(rt.db, w.ctx(), { fileName: 'p.csv', bytes: products })
      expect(p.encoding).toBe(encoding)
      await commitProductImport(rt.db, w.ctx(), p.importId)
      const product = await rt.db.selectFrom('products').select(['name', 'description']).where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
      expect(product).toEqual({ name: 'Cuvée « L’Œnothèque »', description: 'Carton de 6 – 75 cl, 15 € la bouteille…' })
      for (const v of [...Object.values(org), ...Object.values(contact), ...Object.values(product)]) expect(v).not.toMatch(C1)
    })
  }

  it('shows the encoding it read after a re-analysis with another mapping', async () => {
    const w = await givenWorkspace(rt.db)
    const a = await analyseImport(rt.db, w.ctx(), {
      entity: 'organisations',
      fileName: 'o.csv',
      bytes: files['windows-1252'](`Raison sociale;Ville\r\n${NAME};Sète\r\n`),
    })
    const row = await rt.db.selectFrom('imports').select(['content']).where('id', '=', a.importId).executeTakeFirstOrThrow()
    const again = await analyseImport(rt.db, w.ctx(), {
      entity: 'organisations',
      fileName: 'o.csv',
      bytes: enc(row.content),
      mapping: { 0: 'name', 1: null },
      importId: a.importId,
      encoding: a.report.encoding,
    })
    expect(again.report.encoding).toBe('windows-1252')
  })
})

describe('bad import files', () => {
  const codeOf = async (bytes: Uint8Array) => {
    const w = await givenWorkspace(rt.db)
    const e = await analyseImport(rt.db, w.ctx(), { entity: 'organisations', fileName: 'x.csv', bytes }).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(ValidationError)
    const stored = await rt.db.selectFrom('imports').select('id').where('workspace_id', '=', w.workspaceId).execute()
    expect(stored).toEqual([])
    return (e as ValidationError).fieldErrors.file
  }
  it('refuses each with a reason and stores nothing', async () => {
    expect(await codeOf(new Uint8Array())).toBe('import.file.empty')
    expect(await codeOf(enc('Raison sociale;Ville\r\n'))).toBe('import.file.header_only')
    expect(await codeOf(enc('Raison sociale;Ville\r\nA;Lyon\r\n"B;Lyon\r\nC;Lyon\r\n'))).toEqual({ code: 'import.file.unclosed_quote', params: { line: 3 } })
    expect(await codeOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]))).toBe('import.file.spreadsheet')
    expect(await codeOf(new Uint8Array(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)))).toBe('import.file.binary')
  })
})

describe('a CSV Excel opened and saved again', () => {
  it('reads a phone Excel stripped of its leading zero, and refuses one in scientific notation', async () => {
    const w = await givenWorkspace(rt.db)
    const csv = ['Prénom;Nom;Téléphone', 'Claire;Morel;612345678', 'Hugo;Petit;6,12346E+08'].join('\r\n')
    const a = await analyseImport(rt.db, w.ctx(), { entity: 'contacts', fileName: 'c.csv', bytes: enc(csv) })
    expect(a.report.rejected).toEqual([{ line: 3, reason: [{ code: 'import.row.scientific_number', params: { field: 'Téléphone', value: '6,12346E+08' } }] }])
    await commitImport(rt.db, w.ctx(), a.importId)
    const rows = await rt.db.selectFrom('contacts').select(['last_name', 'phones']).where('workspace_id', '=', w.workspaceId).execute()
    expect(rows).toEqual([{ last_name: 'Morel', phones: ['+33612345678'] }])
  })

  it('pads a postal code that lost its leading zero and reports it; refuses a SIRET in scientific notation with how to fix it', async () => {
    const w = await givenWorkspace(rt.db)
    const csv = [
      'Raison sociale;SIREN;SIRET;Code postal;Ville',
      `Garage du Lac;${siren(1)};;4400;Barcelonnette`,
      `Boulangerie Roux;;8,32289E+13;69003;Lyon`,
      `Cave Martin;8.32289E+08;;1000;Bourg-en-Bresse`,
      `Atelier Nord;${siren(2)};;59000;Lille`,
    ].join('\r\n')
    const a = await analyseImport(rt.db, w.ctx(), { entity: 'organisations', fileName: 'excel.csv', bytes: enc(csv) })
    expect(a.report.corrected).toEqual([{ line: 2, reason: [{ code: 'import.row.postal_code.padded', params: { from: '4400', to: '04400' } }] }])
    expect(a.report.rejected).toEqual([
      { line: 3, reason: [{ code: 'import.row.scientific_number', params: { field: 'SIRET', value: '8,32289E+13' } }] },
      { line: 4, reason: [{ code: 'import.row.scientific_number', params: { field: 'SIREN', value: '8.32289E+08' } }] },
    ])
    await commitImport(rt.db, w.ctx(), a.importId)
    const rows = await rt.db.selectFrom('organisations').select(['name', 'postal_code']).where('workspace_id', '=', w.workspaceId).orderBy('name').execute()
    expect(rows).toEqual([
      { name: 'Atelier Nord', postal_code: '59000' },
      { name: 'Garage du Lac', postal_code: '04400' },
    ])
  })
})
