import { parse as parseCsv } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { withLuhnDigit } from '../domain/crm/french-ids.js'
import { decodeEntities, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// The organisation and deal lists over real HTTP: filters combine, keyset pages return
// every row once, saved filters belong to one user, exports hold exactly the filtered
// rows, roles and workspaces stay apart.

type D = {
  id: string
  title: string
  owner: string | null
  stage: string
  amount: number
  category: string
  source: string
  region: string
  close: string | null
  created: Date
}
type O = {
  id: string
  name: string
  siren: string | null
  status: 'prospect' | 'client' | 'ancien_client'
  sector: string
  postal: string
  city: string
  tags: string[]
  owner: string | null
  created: Date
}

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let w2: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let rep: WebClient
const deals: D[] = []
const orgs: O[] = []
let foreignDeal: string

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
const parisDate = (d: Date) => parisDay.format(d)
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`
const csvAmount = (c: number) => `${Math.trunc(c / 100)},${String(c % 100).padStart(2, '0')}`
const OPEN = ['PROSPECT', 'QUALIFICATION', 'PROPOSITION']

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db)
  w2 = await givenWorkspace(app.rt.db, 'Autre Espace')
  const db = app.rt.db
  const owners = [w.users.admin, w.users.commercial, w.users.manager, null]

  const sectors = ['Industrie', 'BTP', 'Santé']
  const places = [
    ['69003', 'Lyon'],
    ['35000', 'Rennes'],
    ['20000', 'Ajaccio'],
    ['97400', 'Saint-Denis'],
    ['06000', 'Nice'],
  ]
  for (let i = 0; i < 30; i++) {
    const [postal, city] = places[i % places.length]
    const o: O = {
      id: randomUUID(),
      name: `${['Énergie', 'Société', 'Atelier'][i % 3]} ${String(i).padStart(2, '0')}`,
      siren: i % 2 ? withLuhnDigit(String(30_000_000 + i * 101)) : null,
      status: (['prospect', 'client', 'ancien_client'] as const)[i % 3],
      sector: sectors[(i >> 1) % 3],
      postal,
      city,
      tags: [i % 2 ? 'vip' : 'standard', ...(i % 4 === 0 ? ['salon-2026'] : [])],
      owner: owners[i % 4],
      created: new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 2), 23, 30)),
    }
    orgs.push(o)
    await createOrganisationCommand(db, w.ctx(w.users.admin, { now: o.created }), {
      id: o.id,
      fields: {
        name: o.name,
        siren: o.siren,
        siret: null,
        vat_number: null,
        address: null,
        postal_code: o.postal,
        city: o.city,
        sector: o.sector,
        size: 'PME',
        status: o.status,
        owner_id: o.owner,
        tags: o.tags,
      },
    })
  }

  for (let i = 0; i < 60; i++) {
    const stage = i % 5 === 3 ? 'SIGNE' : i % 5 === 4 ? 'PERDU' : OPEN[i % 3]
    const d: D = {
      id: randomUUID(),
      title: `Affaire ${String(i).padStart(2, '0')} ${['Chaudière', 'Pompe', 'Éolienne'][i % 3]}`,
      owner: owners[i % 4],
      stage,
      amount: 100_000 + i * 12_345 + (i % 3),
      category: ['Licences', 'Services', 'Matériel'][i % 3],
      source: ['Salon', 'Site web'][i % 2],
      region: ['Bretagne', 'Occitanie', 'Île-de-France'][(i >> 1) % 3],
      close: i % 10 === 0 ? null : new Date(Date.UTC(2027, 0, 1 + ((i * 7) % 40))).toISOString().slice(0, 10),
      // Three deals per instant (ties broken by id); 23:30 UTC is already the next day in Paris.
      created: new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 3), 23, 30)),
    }
    deals.push(d)
    const ctx = w.ctx(w.users.admin, { now: d.created })
    await createDealCommand(db, ctx, {
      id: d.id,
      stage: stage === 'SIGNE' || stage === 'PERDU' ? 'PROSPECT' : stage,
      fields: {
        title: d.title,
        organisation_id: orgs[i % orgs.length].id,
        amount_cents: d.amount,
        expected_close_date: d.close,
        owner_id: d.owner,
        category: d.category,
        source: d.source,
        region: d.region,
      },
    })
    if (stage === 'SIGNE' || stage === 'PERDU') await changeDealStageCommand(db, ctx, { id: d.id, to: stage, lostReason: stage === 'PERDU' ? 'Prix' : null })
  }

  // A won deal makes its organisation a client (ADR 0035): the expected statuses are the stored ones.
  const stored = await db.selectFrom('organisations').select(['id', 'status']).where('workspace_id', '=', w.workspaceId).execute()
  for (const o of orgs) o.status = stored.find((r) => r.id === o.id)!.status as O['status']

  const foreignOrg = await givenOrganisation(db, w2.ctx(), { name: 'Énergie Fuite' })
  foreignDeal = await givenDeal(db, w2.ctx(), { organisationId: foreignOrg, title: 'Affaire Chaudière Fuite', amountCents: 999_999 })

  admin = await app.login(w.emails.admin)
  rep = await app.login(w.emails.commercial)
}, 120_000)
afterAll(async () => {
  await app?.stop()
})

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const linkOf = (html: string, rel: 'next' | 'prev') => {
  const a = new RegExp(`<a [^>]*rel="${rel}"[^>]*>`).exec(html)?.[0]
  const href = a ? /href="([^"]+)"/.exec(a)?.[1] : undefined
  return href ? decodeEntities(href) : null
}
const rowIds = (html: string, entity: 'deals' | 'organisations') => {
  const body = html.includes('<tbody') ? html.slice(html.indexOf('<tbody'), html.indexOf('</tbody>')) : ''
  return [...body.matchAll(new RegExp(`href="/${entity}/(${UUID})"`, 'g'))].map((m) => m[1])
}

/** Every row id of a list, following "Suivant" to the last page. */
async function allIds(client: WebClient, path: string, entity: 'deals' | 'organisations' = 'deals') {
  const ids: string[] = []
  let next: string | null = path
  for (let guard = 0; next && guard < 50; guard++) {
    const { res, html } = await client.get(next)
    expect(res.status, next).toBe(200)
    ids.push(...rowIds(html, entity))
    next = linkOf(html, 'next')
  }
  return ids
}

const sameSet = (ids: string[], expected: { id: string }[]) => {
  expect(ids.length).toBe(expected.length)
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort()).toEqual(expected.map((x) => x.id).sort())
}

describe('deal list filters', () => {
  const cases: [string, (d: D) => boolean][] = [
    ['etape=PROSPECT&etape=QUALIFICATION', (d) => d.stage === 'PROSPECT' || d.stage === 'QUALIFICATION'],
    ['etape=PROSPECT,PROPOSITION&etat=ouvertes&source=Salon', (d) => ['PROSPECT', 'PROPOSITION'].includes(d.stage) && d.source === 'Salon'],
    ['etat=gagnees', (d) => d.stage === 'SIGNE'],
    ['etat=perdues&etape=PROSPECT', () => false],
    ['responsable=COMMERCIAL&categorie=Licences', (d) => d.owner === w.users.commercial && d.category === 'Licences'],
    ['responsable=aucun&etat=ouvertes', (d) => d.owner === null && OPEN.includes(d.stage)],
    ['responsable=moi', (d) => d.owner === w.users.admin],
    // Deal 10 is exactly 2 234,51 € (223 451 cents): the bounds are inclusive and cent-exact.
    ['montant_min=2 234,51&montant_max=5000', (d) => d.amount >= 223_451 && d.amount <= 500_000],
    ['montant_min=2234.52', (d) => d.amount >= 223_452],
    [
      'cloture_du=2027-01-10&cloture_au=2027-01-20&region=Bretagne',
      (d) => !!d.close && d.close >= '2027-01-10' && d.close <= '2027-01-20' && d.region === 'Bretagne',
    ],
    // Created dates are Paris calendar days (created 23:30 UTC on the 4th = the 5th in Paris).
    ['cree_du=2026-01-05&cree_au=2026-01-10', (d) => parisDate(d.created) >= '2026-01-05' && parisDate(d.created) <= '2026-01-10'],
    ['q=CHAUDIERE&source=Salon', (d) => d.title.includes('Chaudière') && d.source === 'Salon'],
    ['q=affaire 1&region=Occitanie&tri=montant&sens=asc', (d) => d.title.startsWith('Affaire 1') && d.region === 'Occitanie'],
  ]
  for (const [query, keep] of cases) {
    it(`returns exactly the matching rows for ${query}`, async () => {
      const q = query.replace('COMMERCIAL', w.users.commercial).replace(/ /g, '%20').replace(/,/g, '%2C')
      const expected = deals.filter(keep)
      const ids = await allIds(admin, `/deals?${q}`)
      sameSet(ids, expected)
      if (!ids.length) expect(textOf((await admin.get(`/deals?${q}`)).html)).toContain('Aucune affaire trouvée.')
    })
  }

  it('shows how many rows match', async () => {
    const text = textOf((await admin.get('/deals?etat=gagnees')).html)
    expect(text).toContain(`${deals.filter((d) => d.stage === 'SIGNE').length} résultats`)
  })

  it('ignores invalid values with a French notice and never fails', async () => {
    const { res, html } = await admin.get(
      '/deals?montant_min=abc&cloture_du=2026-02-31&etape=NOPE&tri=hack&sens=up&apres=zzz&responsable=quelquun&etat=tout&source=Salon',
    )
    expect(res.status).toBe(200)
    const text = textOf(html)
    expect(text).toContain('Filtres ignorés car leur valeur est invalide')
    for (const label of [
      'Montant minimum (€ HT)',
      'Clôture prévue à partir du',
      'Étapes',
      'Trier par',
      'Ordre',
      'Position dans la liste',
      'Responsable',
      'État',
    ])
      expect(text).toContain(label)
    // A cursor whose key does not fit the sort (hand-edited, or from another sort) is ignored too.
    const cursor = (key: string) => Buffer.from(JSON.stringify([key, randomUUID()])).toString('base64url')
    for (const q of [
      `apres=${cursor('pas une date')}`,
      `tri=montant&avant=${cursor('12,5')}`,
      `tri=cloture&apres=${cursor('2026-02-30')}`,
      `tri=creation&apres=${cursor('2026-13-01 10:00:00+00')}`,
    ]) {
      const r = await admin.get(`/deals?${q}`)
      expect(r.res.status, q).toBe(200)
      expect(textOf(r.html)).toContain('Position dans la liste')
      expect(rowIds(r.html, 'deals')).toHaveLength(25)
    }
    // The valid filter still applies.
    sameSet(
      await allIds(admin, '/deals?montant_min=abc&source=Salon'),
      deals.filter((d) => d.source === 'Salon'),
    )
  })
})

describe('deal list sort and keyset pages', () => {
  const byKey = (key: (d: D) => string | number, dir: 'asc' | 'desc') => (a: D, b: D) => {
    const ka = key(a)
    const kb = key(b)
    const c = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    return dir === 'asc' ? c : -c
  }
  const sorts: [string, (a: D, b: D) => number][] = [
    ['', byKey((d) => d.created.getTime(), 'desc')],
    ['tri=creation&sens=asc', byKey((d) => d.created.getTime(), 'asc')],
    ['tri=montant', byKey((d) => d.amount, 'desc')],
    ['tri=montant&sens=asc', byKey((d) => d.amount, 'asc')],
    // No date sorts last ascending, first descending.
    ['tri=cloture', byKey((d) => d.close ?? '9999-12-31', 'asc')],
    ['tri=cloture&sens=desc', byKey((d) => d.close ?? '9999-12-31', 'desc')],
    ['tri=intitule', byKey((d) => d.title, 'asc')],
  ]
  for (const [query, compare] of sorts) {
    it(`pages through every row exactly once, in order (${query || 'default'})`, async () => {
      const ids = await allIds(admin, `/deals?${query}`)
      expect(ids).toEqual([...deals].sort(compare).map((d) => d.id))
    })
  }

  it('goes back with "Précédent" to the same pages', async () => {
    const pages: string[][] = []
    let next: string | null = '/deals?tri=montant'
    let last = ''
    while (next) {
      const { html } = await admin.get(next)
      pages.push(rowIds(html, 'deals'))
      last = html
      next = linkOf(html, 'next')
    }
    expect(pages.length).toBe(3)
    let prev = linkOf(last, 'prev')
    for (let i = pages.length - 2; i >= 0; i--) {
      const { html } = await admin.get(prev!)
      expect(rowIds(html, 'deals')).toEqual(pages[i])
      prev = linkOf(html, 'prev')
    }
    expect(prev).toBeNull()
  })

  it('keeps the filters on every page link', async () => {
    const ids = await allIds(admin, '/deals?source=Site%20web&tri=montant&sens=asc')
    expect(ids).toEqual(
      deals
        .filter((d) => d.source === 'Site web')
        .sort(sorts[3][1])
        .map((d) => d.id),
    )
  })
})

describe('roles and workspaces', () => {
  it('shows a commercial only the deals they may see, and exports the same', async () => {
    const visible = deals.filter((d) => d.owner === null || d.owner === w.users.commercial)
    sameSet(await allIds(rep, '/deals'), visible)
    const res = await rep.request('/deals/export?format=csv')
    const rows = parseCsv(await res.text(), { delimiter: ';', bom: true }) as string[][]
    expect(rows.length - 1).toBe(visible.length)
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(visible.map((d) => d.title).sort())
  })

  it('never shows or exports another workspace’s rows', async () => {
    const ids = await allIds(admin, '/deals?q=fuite')
    expect(ids).toEqual([])
    const csv = await (await admin.request('/deals/export?format=csv')).text()
    expect(csv).not.toContain('Fuite')
    const theirs = await app.login(w2.emails.admin)
    expect(await allIds(theirs, '/deals')).toEqual([foreignDeal])
    const theirCsv = await (await theirs.request('/deals/export?format=csv')).text()
    expect(theirCsv).not.toContain('Affaire 0')
    expect(await allIds(theirs, '/organisations', 'organisations')).toHaveLength(1)
  })

  it('sends a signed-out export request to the login page', async () => {
    const res = await app.client().request('/deals/export?format=csv')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(/^\/login/)
  })
})

describe('deal exports', () => {
  const filter = 'categorie=Licences&etat=ouvertes&tri=montant&sens=asc'
  const expected = () => deals.filter((d) => d.category === 'Licences' && OPEN.includes(d.stage)).sort((a, b) => a.amount - b.amount)

  it('writes CSV for French Excel: BOM, semicolons, comma decimals, French dates, the filtered rows in list order', async () => {
    const res = await admin.request(`/deals/export?format=csv&${filter}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="affaires-\d{4}-\d{2}-\d{2}\.csv"$/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    expect(text).toContain('\r\n')
    const rows = parseCsv(text, { delimiter: ';', bom: true }) as string[][]
    expect(rows[0]).toEqual([
      'Intitulé',
      'Organisation',
      'Étape',
      'Montant (€ HT)',
      'Probabilité (%)',
      'Date de clôture prévue',
      'Responsable',
      'Catégorie',
      'Source',
      'Région',
      'Créée le',
    ])
    const want = expected()
    expect(rows.length - 1).toBe(want.length)
    want.forEach((d, i) => {
      const r = rows[i + 1]
      expect(r[0]).toBe(d.title)
      expect(r[3]).toBe(csvAmount(d.amount))
      expect(r[5]).toBe(d.close ? frDate(d.close) : '')
      expect(r[7]).toBe('Licences')
      expect(r[10]).toBe(frDate(parisDate(d.created)))
    })
    // The list shows the same rows in the same order.
    expect(await allIds(admin, `/deals?${filter}`)).toEqual(want.map((d) => d.id))
  })

  it('writes XLSX with amounts as euro numbers and real dates', async () => {
    const res = await admin.request(`/deals/export?format=xlsx&${filter}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Disposition')).toMatch(/filename="affaires-\d{4}-\d{2}-\d{2}\.xlsx"/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    const ws = wb.worksheets[0]
    expect(ws.name).toBe('Affaires')
    expect(ws.getRow(1).getCell(4).value).toBe('Montant (€ HT)')
    const want = expected()
    expect(ws.actualRowCount - 1).toBe(want.length)
    want.forEach((d, i) => {
      const row = ws.getRow(i + 2)
      expect(row.getCell(1).value).toBe(d.title)
      const amount = row.getCell(4)
      expect(typeof amount.value).toBe('number')
      expect(Math.round((amount.value as number) * 100)).toBe(d.amount)
      expect(amount.numFmt).toContain('€')
      const close = row.getCell(6).value
      if (d.close) expect((close as Date).toISOString().slice(0, 10)).toBe(d.close)
      else expect(close).toBeNull()
      expect((row.getCell(11).value as Date).toISOString().slice(0, 10)).toBe(parisDate(d.created))
    })
  })

  it('refuses an unknown format', async () => {
    expect((await admin.request('/deals/export?format=pdf')).status).toBe(404)
  })
})

describe('organisation list', () => {
  const cases: [string, (o: O) => boolean][] = [
    ['statut=client&statut=ancien_client', (o) => o.status !== 'prospect'],
    ['secteur=BTP&statut=prospect', (o) => o.sector === 'BTP' && o.status === 'prospect'],
    ['departement=2A', (o) => o.postal.startsWith('20')],
    ['departement=974', (o) => o.postal.startsWith('974')],
    ['departement=06&ville=NICE', (o) => o.city === 'Nice'],
    ['etiquette=vip,salon-2026', (o) => o.tags.includes('vip') && o.tags.includes('salon-2026')],
    ['etiquette=salon-2026', (o) => o.tags.includes('salon-2026')],
    ['q=societe', (o) => o.name.startsWith('Société')],
    ['q=3000050', (o) => !!o.siren?.startsWith('3000050')],
    ['responsable=aucun', (o) => o.owner === null],
    ['cree_du=2026-01-03&cree_au=2026-01-04', (o) => parisDate(o.created) >= '2026-01-03' && parisDate(o.created) <= '2026-01-04'],
  ]
  for (const [query, keep] of cases) {
    it(`returns exactly the matching organisations for ${query}`, async () => {
      sameSet(await allIds(admin, `/organisations?${query}`, 'organisations'), orgs.filter(keep))
    })
  }

  it('pages by name and by creation date, every organisation once', async () => {
    // French order: "Énergie" between "Atelier" and "Société".
    const byName = [...orgs].sort((a, b) => a.name.localeCompare(b.name, 'fr')).map((o) => o.id)
    expect(await allIds(admin, '/organisations', 'organisations')).toEqual(byName)
    const ids = await allIds(admin, '/organisations?tri=creation', 'organisations')
    sameSet(ids, orgs)
  })

  it('flags a bad département and exports the filtered organisations', async () => {
    expect(textOf((await admin.get('/organisations?departement=99')).html)).toContain('Filtres ignorés car leur valeur est invalide : Département.')
    const res = await admin.request('/organisations/export?format=csv&etiquette=salon-2026')
    expect(res.headers.get('Content-Disposition')).toMatch(/filename="organisations-\d{4}-\d{2}-\d{2}\.csv"/)
    const rows = parseCsv(await res.text(), { delimiter: ';', bom: true }) as string[][]
    const want = orgs.filter((o) => o.tags.includes('salon-2026')).sort((a, b) => a.name.localeCompare(b.name, 'fr'))
    expect(rows.slice(1).map((r) => r[0])).toEqual(want.map((o) => o.name))
    // Postal codes keep their leading zero; statuses and tags are readable.
    const col = (re: RegExp) => rows[0]!.findIndex((h) => re.test(h))
    const nice = rows.find((r) => r[col(/^Ville/)] === 'Nice')
    if (nice) expect(nice[col(/^Code postal/)]).toBe('06000')
    expect(rows[1]![col(/tiquettes/)]).toContain('salon-2026')
    expect(['Prospect', 'Client', 'Ancien client']).toContain(rows[1]![col(/^Statut/)])
  })
})

describe('saved filters', () => {
  it('saves the current filters under a name, for this user only', async () => {
    await admin.get('/deals')
    const { res } = await admin.post('/saved-filters', {
      intent: 'save',
      entity: 'deals',
      name: '  Licences  Bretagne ',
      query: 'categorie=Licences&region=Bretagne&apres=zzz&inconnu=1',
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/deals?categorie=Licences&region=Bretagne')
    const mine = await admin.get('/deals')
    expect(textOf(mine.html)).toContain('Licences Bretagne')
    expect(mine.html).toContain('href="/deals?categorie=Licences&amp;region=Bretagne"')
    const id = new RegExp(`name="id" value="(${UUID})"`).exec(mine.html)![1]

    // Not on another user's list, nor on the other list.
    expect(textOf((await rep.get('/deals')).html)).not.toContain('Licences Bretagne')
    expect(textOf((await admin.get('/organisations')).html)).not.toContain('Licences Bretagne')

    // Nobody else can delete it: a 404, and it is still there.
    await rep.get('/deals')
    expect((await rep.post('/saved-filters', { intent: 'delete', id, back: '/deals' })).res.status).toBe(404)
    const stranger = await app.login(w2.emails.admin)
    expect((await stranger.post('/saved-filters', { intent: 'delete', id, back: '/deals' })).res.status).toBe(404)
    expect(textOf((await admin.get('/deals')).html)).toContain('Licences Bretagne')

    // Saving the same name replaces its filters.
    await admin.post('/saved-filters', { intent: 'save', entity: 'deals', name: 'Licences Bretagne', query: 'categorie=Licences' })
    const replaced = await admin.get('/deals')
    expect(replaced.html).toContain('href="/deals?categorie=Licences"')
    expect(replaced.html.match(/Licences Bretagne/g)!.length).toBeGreaterThan(0)

    const del = await admin.post('/saved-filters', { intent: 'delete', id, back: '/deals?etat=ouvertes' })
    expect(del.res.status).toBe(302)
    expect(del.res.headers.get('Location')).toBe('/deals?etat=ouvertes')
    expect(textOf((await admin.get('/deals')).html)).not.toContain('Licences Bretagne')
  })

  it('asks for a name, in French', async () => {
    await admin.get('/organisations')
    const { res, html } = await admin.post('/saved-filters', { intent: 'save', entity: 'organisations', name: '  ', query: 'statut=client' })
    expect(res.status).toBe(400)
    expect(textOf(html)).toContain('Donnez un nom à ce filtre.')
  })

  it('refuses invisible characters in a name, in French, and treats a list that does not exist as a missing page', async () => {
    await admin.get('/deals')
    const { res, html } = await admin.post('/saved-filters', { intent: 'save', entity: 'deals', name: 'Licences\u0007', query: '' })
    expect(res.status).toBe(400)
    expect(textOf(html)).toContain('Ce texte contient des caractères invisibles non autorisés')
    expect((await admin.post('/saved-filters', { intent: 'save', entity: 'factures', name: 'X', query: '' })).res.status).toBe(404)
    expect((await admin.post('/saved-filters', { intent: 'rename', id: randomUUID() })).res.status).toBe(404)
  })

  it('refuses a save without the CSRF token', async () => {
    const { res } = await admin.post('/saved-filters', { intent: 'save', entity: 'deals', name: 'Sans jeton', query: '' }, { csrf: false })
    expect(res.status).toBe(403)
  })
})
