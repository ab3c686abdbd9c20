import { randomUUID } from 'node:crypto'
import { parse as parseCsv } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import { createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { withLuhnDigit } from '../domain/crm/french-ids.js'
import { givenDeal } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { decodeEntities, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'

// Exports that survive Excel: XLSX by default with identifiers as string cells (read back
// with exceljs), CSV still offered, and the contacts export scoped like the contacts list.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let rep: WebClient
let orgId: string
const SIREN = withLuhnDigit('83228901')
const SIRET = withLuhnDigit(`${SIREN}0001`)

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Exports & Cie')
  orgId = randomUUID()
  await createOrganisationCommand(app.rt.db, w.ctx(), {
    id: orgId,
    fields: {
      name: 'Sœurs Bœuf – L’Œnothèque',
      siren: SIREN,
      siret: SIRET,
      vat_number: null,
      address: '=1+1',
      postal_code: '06000',
      city: 'Nice',
      sector: null,
      size: null,
      status: 'client',
      owner_id: null,
    },
  })
  await givenDeal(app.rt.db, w.ctx(), { organisationId: orgId, title: 'Cave 2027', amountCents: 1_250_050 })
  const contact = (first: string, last: string, owner: string | null, phone: string) =>
    createContactCommand(app.rt.db, w.ctx(), {
      id: randomUUID(),
      fields: {
        civility: 'Mme',
        first_name: first,
        last_name: last,
        job_title: null,
        emails: [`${first.toLowerCase()}@exemple.fr`],
        phones: [phone],
        organisation_id: orgId,
        owner_id: owner,
        shared: false,
        gdpr_consent: true,
        consent_source: 'Salon',
        consent_date: null,
        marketing_opt_out: false,
      },
    })
  await contact('Claire', 'Morel', w.users.commercial, '+33611223344')
  await contact('Inès', 'Aubert', w.users.admin, '+33493000000')
  await contact('Hugo', 'Petit', w.users.admin, '+33140000000')
  admin = await app.login(w.emails.admin)
  rep = await app.login(w.emails.commercial)
})
afterAll(async () => {
  await app?.stop()
})

async function workbook(res: Response) {
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(await res.arrayBuffer())
  return wb.worksheets[0]
}
const headerIndex = (ws: ExcelJS.Worksheet, header: string) => {
  const headers = (ws.getRow(1).values as unknown[]).slice(1)
  const i = headers.indexOf(header)
  expect(i, header).toBeGreaterThanOrEqual(0)
  return i + 1
}

describe('organisation and deal exports', () => {
  it('are XLSX by default, identifiers as text cells, header frozen with an autofilter', async () => {
    const ws = await workbook(await admin.request('/organisations/export'))
    expect(ws.autoFilter).toBe('A1:P1')
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const row = ws.getRow(2)
    for (const [header, value] of [
      ['SIREN', SIREN],
      ['SIRET', SIRET],
      ['Code postal', '06000'],
    ]) {
      const cell = row.getCell(headerIndex(ws, header))
      expect(cell.type, header).toBe(ExcelJS.ValueType.String)
      expect(cell.value, header).toBe(value)
      expect(cell.numFmt, header).toBe('@')
    }
    expect(row.getCell(1).value).toBe('Sœurs Bœuf – L’Œnothèque')
    const deals = await workbook(await admin.request('/deals/export'))
    expect(deals.autoFilter).toBeTruthy()
    expect(deals.getRow(2).getCell(1).value).toBe('Cave 2027')
    expect(deals.getRow(2).getCell(4).type).toBe(ExcelJS.ValueType.Number)
  })

  it('still offer CSV, read back with the formula guard, and say beside it that Excel alters identifiers', async () => {
    const res = await admin.request('/organisations/export?format=csv')
    const rows = parseCsv(await res.text(), { delimiter: ';', bom: true }) as string[][]
    const h = rows[0]
    const r = rows.find((x) => x[0] === 'Sœurs Bœuf – L’Œnothèque')!
    expect(r[h.indexOf('SIRET')]).toBe(SIRET)
    expect(r[h.indexOf('Code postal')]).toBe('06000')
    expect(r[h.indexOf('Adresse')]).toBe("'=1+1")
    const page = decodeEntities((await admin.get('/organisations')).html)
    const xlsx = page.indexOf('format=xlsx')
    expect(xlsx).toBeGreaterThan(0)
    expect(xlsx).toBeLessThan(page.indexOf('format=csv'))
    expect(page).toContain('Ouvert dans Excel, un CSV perd les zéros initiaux et abrège les SIRET')
  })
})

describe('contacts export', () => {
  it('exports the contacts list as XLSX and CSV, with the list’s search', async () => {
    const ws = await workbook(await admin.request('/contacts/export'))
    expect(ws.name).toBe('Contacts')
    const last = headerIndex(ws, 'Nom')
    expect([2, 3, 4].map((i) => ws.getRow(i).getCell(last).value)).toEqual(['Aubert', 'Morel', 'Petit'])
    const phone = ws.getRow(3).getCell(headerIndex(ws, 'Téléphone'))
    expect(phone.type).toBe(ExcelJS.ValueType.String)
    expect(phone.value).toBe('06 11 22 33 44')
    expect(ws.getRow(3).getCell(headerIndex(ws, 'SIREN')).value).toBe(SIREN)

    const csv = await admin.request('/contacts/export?format=csv&q=aubert')
    expect(csv.headers.get('Content-Disposition')).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/)
    const rows = parseCsv(await csv.text(), { delimiter: ';', bom: true }) as string[][]
    expect(rows).toHaveLength(2)
    expect(rows[1].slice(0, 3)).toEqual(['Mme', 'Inès', 'Aubert'])
    expect(rows[1][rows[0].indexOf('Organisation')]).toBe('Sœurs Bœuf – L’Œnothèque')
    expect((await admin.get('/contacts?q=aubert')).html).toContain('/contacts/export?q=aubert&amp;format=xlsx')
  })

  it('holds only what the list shows this role', async () => {
    const rows = parseCsv(await (await rep.request('/contacts/export?format=csv')).text(), { delimiter: ';', bom: true }) as string[][]
    expect(rows.slice(1).map((r) => r[2])).toEqual(['Morel'])
    const other = await givenWorkspace(app.rt.db, 'Ailleurs')
    const stranger = await app.login(other.emails.admin)
    const theirs = parseCsv(await (await stranger.request('/contacts/export?format=csv')).text(), { delimiter: ';', bom: true }) as string[][]
    expect(theirs).toHaveLength(1)
    expect((await app.client().request('/contacts/export')).status).toBe(302)
    expect((await admin.request('/contacts/export?format=pdf')).status).toBe(404)
  })
})
