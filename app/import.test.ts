import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withLuhnDigit } from '../domain/crm/french-ids.js'
import { decodeEntities, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenWorkspace } from '../testing/fixtures.js'

// The CSV import screens over real HTTP, multipart like a browser without JavaScript:
// upload → dry-run report (nothing written) → mapping → analyse again → commit.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let manager: WebClient

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Import & Cie')
  manager = await app.login(w.emails.manager)
})
afterAll(async () => {
  await app?.stop()
})

const BAD = { 101: '123456780', 501: '', 901: '750' } as const

/** 1,000 organisations, three of them wrong: a bad SIREN (line 101), no name (501), a 3-digit postal code (901). */
function thousandRows(): string {
  const lines = ['Raison sociale;SIREN;Code postal;Ville;Statut']
  for (let i = 0; i < 1000; i++) {
    const line = i + 2
    const name = line === 501 ? '' : `Établissements Numéro ${String(i).padStart(4, '0')}`
    const siren = line === 101 ? BAD[101] : withLuhnDigit(String(30_000_000 + i))
    const cp = line === 901 ? BAD[901] : '69003'
    lines.push(`${name};${siren};${cp};Lyon;${i % 2 ? 'Client' : 'Prospect'}`)
  }
  return lines.join('\r\n') + '\r\n'
}

async function upload(client: WebClient, file: { name: string; bytes: Uint8Array | string }, entity = 'organisations', csrf = client.csrf) {
  const form = new FormData()
  form.set('csrf', csrf)
  form.set('entity', entity)
  form.set('file', new Blob([file.bytes as BlobPart]), file.name)
  const res = await client.request('/import', { method: 'POST', body: form })
  return { res, html: await res.text() }
}

const orgCount = async () =>
  Number(
    (
      await app.rt.db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )
const count = (html: string, label: string) => new RegExp(`<dt[^>]*>${label}</dt><dd[^>]*>([^<]*)</dd>`).exec(textOf(html))?.[1]?.replace(/\s/g, '')

describe('importing a CSV', () => {
  it('analyses 1,000 rows, reports exactly the 3 bad ones, and writes nothing until confirmed', async () => {
    const before = await orgCount()
    const { res } = await upload(manager, { name: 'clients-2026.csv', bytes: thousandRows() })
    expect(res.status).toBe(302)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/import\/[0-9a-f-]{36}$/)
    expect(await orgCount()).toBe(before)

    const page = await manager.get(location)
    expect(page.res.status).toBe(200)
    const html = decodeEntities(page.html)
    expect(count(html, 'Lignes lues')).toBe('1000')
    expect(count(html, 'Lignes valides')).toBe('997')
    expect(count(html, 'À créer')).toBe('997')
    expect(count(html, 'Rejetées')).toBe('3')
    const rejected = [...textOf(html).matchAll(/<tr><td[^>]*>(\d+)<\/td><td[^>]*>([^<]*)<\/td><\/tr>/g)].map((m) => [Number(m[1]), m[2]])
    expect(rejected).toEqual([
      [101, 'SIREN invalide : 9 chiffres avec une clé de contrôle correcte.'],
      [501, 'Le nom est obligatoire.'],
      [901, 'Code postal invalide (5 chiffres).'],
    ])
    // Detected format and the guessed mapping, with samples.
    expect(html).toContain('UTF-8')
    expect(html).toContain('point-virgule')
    expect(html).toMatch(/<select name="col_0"[^>]*>(?:(?!<\/select>).)*<option value="name" selected=""/s)
    expect(html).toContain('Établissements Numéro 0000')
    expect(textOf(html)).toContain('Importer 997 lignes')

    // Analysing again with another mapping (the city ignored) still writes nothing.
    const again = await manager.post(location, { intent: 'analyse', col_0: 'name', col_1: 'siren', col_2: 'postal_code', col_3: '', col_4: 'status' })
    expect(again.res.status).toBe(302)
    const mapping = await app.rt.db.selectFrom('imports').select(['mapping', 'status']).where('id', '=', location.split('/').pop()!).executeTakeFirstOrThrow()
    expect(mapping).toEqual({ mapping: { 0: 'name', 1: 'siren', 2: 'postal_code', 3: null, 4: 'status' }, status: 'analysed' })
    expect(await orgCount()).toBe(before)

    // Confirmed: the 997 valid rows, in one go.
    const commit = await manager.post(location, { intent: 'commit' })
    expect(commit.res.status).toBe(302)
    expect(commit.res.headers.get('location')).toBe(`${location}?valide=1`)
    expect(await orgCount()).toBe(before + 997)
    const done = decodeEntities((await manager.get(`${location}?valide=1`)).html)
    expect(textOf(done)).toContain('Import terminé : 997 créées, 0 mises à jour, 0 inchangées, 3 rejetées.')
    const sample = await app.rt.db
      .selectFrom('organisations')
      .select(['name', 'siren', 'city', 'status'])
      .where('workspace_id', '=', w.workspaceId)
      .where('name', '=', 'Établissements Numéro 0001')
      .executeTakeFirstOrThrow()
    expect(sample).toEqual({ name: 'Établissements Numéro 0001', siren: withLuhnDigit('30000001'), city: null, status: 'client' })

    // A second commit is refused in French, nothing added.
    const twice = await manager.post(location, { intent: 'commit' })
    expect(twice.res.status).toBe(409)
    expect(decodeEntities(twice.html)).toContain('déjà été validé')
    expect(await orgCount()).toBe(before + 997)
  })

  it('reads a Windows-1252 file (Excel) and re-imports by SIREN as updates', async () => {
    const text = 'Société;SIREN;Ville\r\nÉtablissements Numéro 0002;' + withLuhnDigit('30000002') + ';Lyon\r\nBoulangerie Hébert;;Mâcon\r\n'
    const bytes = Uint8Array.from([...text].map((c) => (({ é: 0xe9, É: 0xc9, â: 0xe2 }) as Record<string, number>)[c] ?? c.charCodeAt(0)))
    const { res } = await upload(manager, { name: 'excel.csv', bytes })
    const html = decodeEntities((await manager.get(res.headers.get('location')!)).html)
    expect(html).toContain('Windows-1252')
    expect(html).toContain('Boulangerie Hébert')
    expect(count(html, 'À créer')).toBe('1')
    expect(count(html, 'À mettre à jour')).toBe('1')
  })

  it('keeps a file whose headers name no required field, and lets the user map it', async () => {
    const { res } = await upload(manager, { name: 'export.csv', bytes: 'Libellé;Town\nAtelier Morel;Lyon\n' })
    expect(res.status).toBe(302)
    const location = res.headers.get('location')!
    const page = decodeEntities((await manager.get(location)).html)
    expect(page).toContain('Associez une colonne à : Nom / raison sociale.')
    expect(page).not.toContain('Importer 1 ligne')
    // A field chosen twice is refused beside the mapping.
    const twice = await manager.post(location, { intent: 'analyse', col_0: 'name', col_1: 'name' })
    expect(twice.res.status).toBe(400)
    expect(decodeEntities(twice.html)).toContain('Le champ « Nom / raison sociale » est associé à deux colonnes (1 et 2)')
    const mapped = await manager.post(location, { intent: 'analyse', col_0: 'name', col_1: 'city' })
    expect(mapped.res.status).toBe(302)
    const after = decodeEntities((await manager.get(location)).html)
    expect(count(after, 'À créer')).toBe('1')
    expect(textOf(after)).toContain('Importer 1 ligne')
  })

  it('refuses an empty upload, a missing file and a file over 20 MB, in French', async () => {
    const empty = await upload(manager, { name: 'vide.csv', bytes: '' })
    expect(empty.res.status).toBe(422)
    expect(decodeEntities(empty.html)).toContain('Le fichier est vide.')
    const form = new FormData()
    form.set('csrf', manager.csrf)
    form.set('entity', 'organisations')
    const none = await manager.request('/import', { method: 'POST', body: form })
    expect(none.status).toBe(400)
    expect(decodeEntities(await none.text())).toContain('Choisissez un fichier CSV.')
    const big = await upload(manager, { name: 'enorme.csv', bytes: new Uint8Array(21 * 1024 * 1024).fill(0x61) })
    expect(big.res.status).toBe(413)
    expect(decodeEntities(big.html)).toContain('Fichier trop volumineux (20 Mo au plus).')
  })

  it('refuses unreadable files with a French sentence, never a 500, and keeps nothing', async () => {
    const before = await app.rt.db
      .selectFrom('imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
    const cases: [string, Uint8Array | string, string][] = [
      ['guillemet.csv', 'Raison sociale;Ville\r\nA;Lyon\r\n"B;Lyon\r\n', 'un guillemet ouvert ligne 3 n’est jamais refermé'],
      ['photo.csv', new Uint8Array(Array.from({ length: 2000 }, (_, i) => (i * 151 + 7) % 256)), 'Ce fichier n’est pas un fichier texte CSV.'],
      ['classeur.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0]), 'Ce fichier est un classeur Excel ou LibreOffice, pas un CSV.'],
      ['entetes.csv', 'Raison sociale;Ville\r\n', 'Le fichier ne contient que la ligne d’en-têtes'],
      ['vide.csv', '\uFEFF\r\n', 'Le fichier est vide.'],
    ]
    for (const [name, bytes, message] of cases) {
      const { res, html } = await upload(manager, { name, bytes })
      expect(res.status, name).toBe(422)
      expect(decodeEntities(html), name).toContain(message)
    }
    const after = await app.rt.db
      .selectFrom('imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
    expect(after).toEqual(before)
  })

  it('reads a UTF-16 file (Excel’s "Unicode text", tab separated)', async () => {
    const text = '\uFEFFRaison sociale\tVille\r\nSœurs Bœuf – L’Œnothèque\tBesançon\r\n'
    const bytes = new Uint8Array(text.length * 2)
    for (let i = 0; i < text.length; i++) {
      bytes[2 * i] = text.charCodeAt(i) & 0xff
      bytes[2 * i + 1] = text.charCodeAt(i) >> 8
    }
    const { res } = await upload(manager, { name: 'unicode.txt', bytes })
    expect(res.status).toBe(302)
    const html = decodeEntities((await manager.get(res.headers.get('location')!)).html)
    expect(html).toContain('UTF-16')
    expect(html).toContain('Sœurs Bœuf – L’Œnothèque')
  })

  it('pads postal codes Excel shortened, refuses scientific SIRETs, and gives the rejected rows back as CSV', async () => {
    const csv = [
      'Raison sociale;SIRET;Code postal;Ville',
      'Garage du Lac;;4400;Barcelonnette',
      'Boulangerie Roux;8,32289E+13;69003;Lyon',
      '=HYPERLIEN("x");;750;Paris',
    ].join('\r\n')
    const { res } = await upload(manager, { name: 'excel-resave.csv', bytes: csv })
    const location = res.headers.get('location')!
    const html = textOf((await manager.get(location)).html)
    expect(html).toContain('Code postal « 4400 » complété en « 04400 »')
    expect(html).toContain('SIRET illisible : « 8,32289E+13 » est un nombre abrégé par Excel')
    expect(html).toContain('Format de cellule › Texte')
    const download = await manager.request(`${location}/rejets.csv`)
    expect(download.status).toBe(200)
    expect(download.headers.get('Content-Disposition')).toBe('attachment; filename="excel-resave-rejets.csv"')
    const rows = parseCsv(await download.text(), { delimiter: ';', bom: true }) as string[][]
    expect(rows[0]).toEqual(['Raison sociale', 'SIRET', 'Code postal', 'Ville', 'Motif du rejet'])
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['Boulangerie Roux', '8,32289E+13', '69003', 'Lyon'],
      ['\'=HYPERLIEN("x")', '', '750', 'Paris'],
    ])
    expect(rows[1][4]).toContain('SIRET illisible')
    expect(rows[2][4]).toBe('Code postal invalide (5 chiffres).')
    const rep = await app.login(w.emails.commercial)
    expect((await rep.request(`${location}/rejets.csv`)).status).toBe(403)
  })

  it('refuses an upload without the CSRF token', async () => {
    const before = await app.rt.db
      .selectFrom('imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const { res } = await upload(manager, { name: 'a.csv', bytes: 'Nom\nA\n' }, 'organisations', 'mauvais-jeton')
    expect(res.status).toBe(403)
    expect(
      await app.rt.db
        .selectFrom('imports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual(before)
  })

  it('is for admins and managers only (403), and never opens another workspace’s import (404)', async () => {
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get('/import')).res.status).toBe(403)
    expect((await upload(rep, { name: 'a.csv', bytes: 'Nom\nA\n' })).res.status).toBe(403)
    const b = await givenWorkspace(app.rt.db, 'Espace B')
    const bAdmin = await app.login(b.emails.admin)
    const { res } = await upload(bAdmin, { name: 'b.csv', bytes: 'Nom\nSecret B\n' })
    const foreign = res.headers.get('location')!
    expect((await manager.get(foreign)).res.status).toBe(404)
    expect((await manager.post(foreign, { intent: 'commit' })).res.status).toBe(404)
    const imp = await app.rt.db.selectFrom('imports').select('status').where('id', '=', foreign.split('/').pop()!).executeTakeFirstOrThrow()
    expect(imp.status).toBe('analysed')
  })
})
