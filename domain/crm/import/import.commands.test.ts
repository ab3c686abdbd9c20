import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../../testing/fixtures.js'
import { startTestRuntime } from '../../../testing/test-runtime.js'
import { withLuhnDigit } from '../french-ids.js'
import { analyseImport, commitImport } from './import.commands.js'
import { readCsv } from './csv.js'

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
      998: 'Société 998;' + siren(998) + ';6900;Lyon;Client', // bad postal code
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
