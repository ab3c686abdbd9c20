import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { createUser } from '../domain/identity/identity.commands.js'
import { decodeEntities, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { fingerprint, givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { testNow } from '../testing/clock.js'
import { formatEuros } from './utils/format.js'

// The pipeline board over real HTTP: totals are SQL sums of what the role may see, and
// the card's no-JS form moves deals through the same command as the deal page.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let other: string // a commercial outside the team
let org: string
let admin: WebClient
let rep: WebClient
const deals = {} as Record<'rep' | 'rep2' | 'other' | 'unassigned' | 'won', string>

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  other = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `autre-${randomUUID().slice(0, 8)}@exemple.fr`,
    fullName: 'Autre Commercial',
    password: TEST_PASSWORD,
    role: 'commercial',
  })
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Martin' })
  deals.rep = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Four à sole', amountCents: 4_825_050, ownerId: w.users.commercial })
  deals.rep2 = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Vitrine réfrigérée', amountCents: 1_250_033, ownerId: w.users.commercial })
  deals.other = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: "Pétrin de l'autre commercial", amountCents: 999_999, ownerId: other })
  deals.unassigned = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Laminoir', amountCents: 310_000, ownerId: null })
  deals.won = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Façade boutique', amountCents: 2_000_000, ownerId: w.users.admin })
  await changeDealStageCommand(app.rt.db, w.ctx(), { id: deals.rep2, to: 'NEGOCIATION' })
  await changeDealStageCommand(app.rt.db, w.ctx(), { id: deals.won, to: 'SIGNE' })
  // Another workspace's deals never count.
  const b = await givenWorkspace(app.rt.db, 'Autre Espace')
  const bOrg = await givenOrganisation(app.rt.db, b.ctx(), { name: 'Concurrent SA' })
  await givenDeal(app.rt.db, b.ctx(), { organisationId: bOrg, title: 'Affaire étrangère', amountCents: 77_700_000 })
  admin = await app.login(w.emails.admin)
  rep = await app.login(w.emails.commercial)
})
afterAll(async () => {
  await app?.stop()
})

/** What the board shows under a column's amount. */
const shownTotal = (html: string, stage: string) => textOf(new RegExp(`data-testid="total-${stage}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '')
const shownWeighted = (html: string, stage: string) => textOf(new RegExp(`data-testid="weighted-${stage}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '')

async function sqlTotals(where: (q: any) => any = (q) => q) {
  const rows = await where(
    app.rt.db
      .selectFrom('deals')
      .select([
        'stage',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`sum(amount_cents)::bigint`.as('amount'),
        sql<number>`round(sum(amount_cents::numeric * probability) / 100)::bigint`.as('weighted'),
      ])
      .where('workspace_id', '=', w.workspaceId)
      .where('deleted_at', 'is', null)
      .groupBy('stage'),
  ).execute()
  return Object.fromEntries(rows.map((r: any) => [r.stage, { n: Number(r.n), amount: Number(r.amount), weighted: Number(r.weighted) }])) as Record<
    string,
    { n: number; amount: number; weighted: number }
  >
}

const STAGES = ['PROSPECT', 'QUALIFICATION', 'PROPOSITION', 'NEGOCIATION', 'SIGNE', 'PERDU']

describe('the board', () => {
  it('shows every stage with totals equal to the SQL sums of the workspace (admin)', async () => {
    const { res, html } = await admin.get('/pipeline')
    expect(res.status).toBe(200)
    const expected = await sqlTotals()
    for (const s of STAGES) {
      expect(shownTotal(html, s)).toBe(textOf(formatEuros(expected[s]?.amount ?? 0)))
      if (!['SIGNE', 'PERDU'].includes(s)) expect(shownWeighted(html, s)).toBe(`pondéré ${textOf(formatEuros(expected[s]?.weighted ?? 0))}`)
    }
    expect(shownTotal(html, 'PROSPECT')).toBe(textOf(formatEuros(4_825_050 + 999_999 + 310_000)))
    const text = decodeEntities(html)
    for (const title of ['Four à sole', 'Vitrine réfrigérée', "Pétrin de l'autre commercial", 'Laminoir', 'Façade boutique']) expect(text).toContain(title)
    expect(text).not.toContain('Affaire étrangère')
  })

  it("counts only the deals a commercial may see, and shows no one else's", async () => {
    const { html } = await rep.get('/pipeline')
    const expected = await sqlTotals((q) =>
      q.where((eb: any) => eb.or([eb('owner_id', '=', w.users.commercial), eb('owner_id', 'is', null), eb('shared', '=', true)])),
    )
    for (const s of STAGES) expect(shownTotal(html, s)).toBe(textOf(formatEuros(expected[s]?.amount ?? 0)))
    expect(shownTotal(html, 'PROSPECT')).toBe(textOf(formatEuros(4_825_050 + 310_000)))
    expect(decodeEntities(html)).not.toContain("Pétrin de l'autre commercial")
    expect(decodeEntities(html)).not.toContain('Façade boutique')
  })

  it('filters by owner, totals following the filter', async () => {
    const { html } = await admin.get(`/pipeline?responsable=${w.users.commercial}`)
    const expected = await sqlTotals((q) => q.where('owner_id', '=', w.users.commercial))
    for (const s of STAGES) expect(shownTotal(html, s)).toBe(textOf(formatEuros(expected[s]?.amount ?? 0)))
    expect(decodeEntities(html)).not.toContain('Laminoir')
    const unassigned = await admin.get('/pipeline?responsable=aucun')
    expect(shownTotal(unassigned.html, 'PROSPECT')).toBe(textOf(formatEuros(310_000)))
  })

  it('filters by team (the manager and the commercial of Équipe Nord)', async () => {
    const { html } = await admin.get(`/pipeline?equipe=${w.teamId}`)
    expect(shownTotal(html, 'PROSPECT')).toBe(textOf(formatEuros(4_825_050)))
    expect(shownTotal(html, 'SIGNE')).toBe(textOf(formatEuros(0)))
  })

  it('shows the won and lost deals of the last 90 days, or of the period asked', async () => {
    const old = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Ancienne signature', amountCents: 123_400, ownerId: w.users.admin })
    await changeDealStageCommand(app.rt.db, w.ctx(), { id: old, to: 'SIGNE' })
    await app.rt.db
      .updateTable('deals')
      .set({ stage_changed_at: new Date(testNow().getTime() - 200 * 86_400_000) })
      .where('id', '=', old)
      .execute()
    const recent = await sqlTotals((q) => q.where('stage_changed_at', '>=', new Date(testNow().getTime() - 90 * 86_400_000)))
    const all = await sqlTotals()
    const byDefault = await admin.get('/pipeline')
    expect(shownTotal(byDefault.html, 'SIGNE')).toBe(textOf(formatEuros(recent.SIGNE.amount)))
    expect(decodeEntities(byDefault.html)).not.toContain('Ancienne signature')
    expect(textOf(byDefault.html)).toContain('90 derniers jours')
    const year = await admin.get('/pipeline?clos=365')
    expect(shownTotal(year.html, 'SIGNE')).toBe(textOf(formatEuros(all.SIGNE.amount)))
    expect(decodeEntities(year.html)).toContain('Ancienne signature')
    // Open columns are never cut by the period.
    expect(shownTotal(year.html, 'PROSPECT')).toBe(shownTotal(byDefault.html, 'PROSPECT'))
    await app.rt.db.updateTable('deals').set({ deleted_at: new Date() }).where('id', '=', old).execute()
  })

  it('shows 10 cards per column, "+ 10 affaires" for the next ones and a link to all of them', async () => {
    const v = await givenWorkspace(app.rt.db, 'Grand Volume')
    const vOrg = await givenOrganisation(app.rt.db, v.ctx(), { name: 'Volume SA' })
    for (let i = 0; i < 53; i++) await givenDeal(app.rt.db, v.ctx(), { organisationId: vOrg, title: `Lot ${String(i).padStart(2, '0')}`, amountCents: 100 })
    const client = await app.login(v.emails.admin)
    const { html } = await client.get('/pipeline')
    const cards = (h: string) => (h.match(/<li id="carte-[0-9a-f-]{36}"/g) ?? []).length
    expect(cards(html)).toBe(10)
    // Digits only: this page's document came back with two NUL bytes inside the total's
    // "\u00a0€" (a byte-offset dependent fault of the streamed response, reported, not the board's).
    expect(shownTotal(html, 'PROSPECT').replace(/[^\d,]/g, '')).toBe('53,00')
    expect(textOf(html)).toContain('Voir les 53 affaires')
    expect(html).toContain('href="/deals?etape=PROSPECT"')
    expect(textOf(html)).toContain('+ 10 affaires')
    const fifth = await client.get('/pipeline?cartes_PROSPECT=50')
    expect(cards(fifth.html)).toBe(50)
    // The last page shows what is left.
    expect(textOf(fifth.html)).toContain('+ 3 affaires')
    const all = await client.get('/pipeline?cartes_PROSPECT=60')
    expect(cards(all.html)).toBe(53)
    expect(textOf(all.html)).not.toMatch(/\+ \d+ affaires/)
  })
})

const move = (dealId: string, version: number, stage: string, extra: Record<string, string> = {}) => ({
  intent: 'move',
  dealId,
  stage,
  version: String(version),
  commandId: randomUUID(),
  ...extra,
})

describe('moving a deal with the card form (no JavaScript)', () => {
  it('changes the stage and comes back to the board with a message', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.rep)
    const { res } = await rep.post('/pipeline', move(deals.rep, before.version, 'PROPOSITION'))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/pipeline?deplace=${deals.rep}#carte-${deals.rep}`)
    const deal = await app.rt.db.selectFrom('deals').select(['stage', 'probability', 'version']).where('id', '=', deals.rep).executeTakeFirstOrThrow()
    expect(deal).toEqual({ stage: 'PROPOSITION', probability: 50, version: before.version + 1 })
    const events = await app.rt.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('stream_id', '=', deals.rep)
      .orderBy('stream_version', 'desc')
      .limit(1)
      .execute()
    expect(events[0]).toMatchObject({ type: 'DealStageChanged', data: { from: 'PROSPECT', to: 'PROPOSITION' } })
    const page = await rep.get(res.headers.get('location')!.replace(/#.*/, ''))
    expect(textOf(page.html)).toContain('« Four à sole » déplacée vers Proposition.')
  })

  it('keeps the filters when coming back', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.rep)
    const { res } = await admin.post(`/pipeline?responsable=${w.users.commercial}`, move(deals.rep, before.version, 'QUALIFICATION'))
    expect(res.headers.get('location')).toBe(`/pipeline?responsable=${w.users.commercial}&deplace=${deals.rep}#carte-${deals.rep}`)
  })

  it('opens the one move step of the page from the card link, for that deal only', async () => {
    const board = await rep.get('/pipeline')
    // No form per card: each card links to the step.
    expect(board.html).not.toContain('name="intent" value="move"')
    expect(decodeEntities(board.html)).toContain(`href="/pipeline?deplacer=${deals.rep}#deplacer"`)
    const { html } = await rep.get(`/pipeline?deplacer=${deals.rep}`)
    expect((html.match(/name="intent" value="move"/g) ?? []).length).toBe(1)
    expect(html).toContain(`name="dealId" value="${deals.rep}"`)
    expect(decodeEntities(html)).toContain('Déplacer « Four à sole »')
    // Someone else's private deal: no step, a notice instead.
    const other = await rep.get(`/pipeline?deplacer=${deals.other}`)
    expect(other.html).not.toContain('name="intent" value="move"')
    expect(decodeEntities(other.html)).toContain('Cette affaire n’est plus sur le tableau.')
  })

  it('refuses PERDU without a reason: French error in the move step, nothing changed', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.rep)
    const { res, html } = await rep.post(`/pipeline?deplacer=${deals.rep}`, move(deals.rep, before.version, 'PERDU'))
    expect(res.status).toBe(422)
    expect(decodeEntities(html)).toContain('Indiquez la raison de la perte.')
    // The step is shown again, the chosen stage kept.
    expect(html).toMatch(/<option value="PERDU" selected="">/)
    expect(html).toContain('aria-invalid="true"')
    expect(await fingerprint(app.rt.db, 'deals', deals.rep)).toEqual(before)
  })

  it('keeps the grown columns when coming back', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.rep)
    const { res } = await rep.post(`/pipeline?cartes_PROSPECT=40&deplacer=${deals.rep}`, move(deals.rep, before.version, 'QUALIFICATION'))
    expect(res.headers.get('location')).toBe(`/pipeline?cartes_PROSPECT=40&deplace=${deals.rep}#carte-${deals.rep}`)
  })

  it('moves to PERDU with a reason', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.rep2)
    const { res } = await rep.post('/pipeline', move(deals.rep2, before.version, 'PERDU', { lost_reason: 'Budget reporté à 2028' }))
    expect(res.status).toBe(302)
    const deal = await app.rt.db.selectFrom('deals').select(['stage', 'lost_reason', 'closed_at']).where('id', '=', deals.rep2).executeTakeFirstOrThrow()
    expect(deal.stage).toBe('PERDU')
    expect(deal.lost_reason).toBe('Budget reporté à 2028')
    expect(deal.closed_at).not.toBeNull()
  })

  it('answers a stale version with the French concurrency message, nothing changed', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.unassigned)
    const { res, html } = await rep.post('/pipeline', move(deals.unassigned, before.version + 5, 'QUALIFICATION'))
    expect(res.status).toBe(409)
    expect(decodeEntities(html)).toContain('Cet enregistrement a été modifié par quelqu’un d’autre entre-temps.')
    expect(await fingerprint(app.rt.db, 'deals', deals.unassigned)).toEqual(before)
  })

  it("does not let a commercial move another rep's private deal (404, nothing changed)", async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.other)
    const { res } = await rep.post('/pipeline', move(deals.other, before.version, 'SIGNE'))
    expect(res.status).toBe(404)
    expect(await fingerprint(app.rt.db, 'deals', deals.other)).toEqual(before)
    // Nor through the drag-and-drop answer.
    const js = await rep.post('/pipeline', move(deals.other, before.version, 'SIGNE', { js: '1' }))
    expect(js.res.status).toBe(404)
    expect(await fingerprint(app.rt.db, 'deals', deals.other)).toEqual(before)
  })

  it('refuses a move without the CSRF token', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.unassigned)
    const { res } = await rep.post('/pipeline', move(deals.unassigned, before.version, 'QUALIFICATION'), { csrf: false })
    expect(res.status).toBe(403)
    expect(await fingerprint(app.rt.db, 'deals', deals.unassigned)).toEqual(before)
  })

  it('lets finance read the board but not move anything (403)', async () => {
    const finance = await app.login(w.emails.finance)
    const { html } = await finance.get('/pipeline')
    expect(html).not.toContain('name="intent"')
    const before = await fingerprint(app.rt.db, 'deals', deals.unassigned)
    const { res } = await finance.post('/pipeline', move(deals.unassigned, before.version, 'QUALIFICATION'))
    expect(res.status).toBe(403)
    expect(await fingerprint(app.rt.db, 'deals', deals.unassigned)).toEqual(before)
  })
})

describe('Signé: confirmed on the way in, explained on the way out', () => {
  let deal: string
  beforeAll(async () => {
    deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Comptoir en chêne', amountCents: 1_500_000, ownerId: w.users.commercial })
  })
  const lastEvent = async () =>
    await app.rt.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('stream_id', '=', deal)
      .orderBy('stream_version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()

  it('asks for a confirmation before Signé without JavaScript, then moves', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deal)
    const step = await rep.post(`/pipeline?deplacer=${deal}`, move(deal, before.version, 'SIGNE'))
    expect(step.res.status).toBe(200)
    const text = decodeEntities(step.html)
    expect(text).toContain('Confirmer la signature')
    expect(text).toContain('Passer « Comptoir en chêne » en Signé ? L’affaire sera close comme gagnée.')
    expect(step.html).toContain('name="confirm" value="1"')
    expect(await fingerprint(app.rt.db, 'deals', deal)).toEqual(before)
    // The drag's answer refuses an unconfirmed move too (the board's dialog confirms first).
    const js = await rep.post('/pipeline', move(deal, before.version, 'SIGNE', { js: '1' }))
    expect(js.res.status).toBe(409)
    expect(await fingerprint(app.rt.db, 'deals', deal)).toEqual(before)
    const { res } = await rep.post(`/pipeline?deplacer=${deal}`, move(deal, before.version, 'SIGNE', { confirm: '1' }))
    expect(res.status).toBe(302)
    expect((await app.rt.db.selectFrom('deals').select('stage').where('id', '=', deal).executeTakeFirstOrThrow()).stage).toBe('SIGNE')
  })

  it('says so when the deal has a signed quote, both ways', async () => {
    // A signed quote as the signing page leaves it (status accepted); the quote's own flow is tested in quote-signing.test.ts.
    const d = await app.rt.db.selectFrom('deals').select(['organisation_id']).where('id', '=', deal).executeTakeFirstOrThrow()
    await app.rt.db
      .insertInto('quotes')
      .values({
        id: randomUUID(),
        workspace_id: w.workspaceId,
        number: `D-TEST-${randomUUID().slice(0, 6)}`,
        year: 2026,
        sequence: 9_001,
        revision: 1,
        status: 'accepte',
        organisation_id: d.organisation_id,
        deal_id: deal,
        lines: JSON.stringify([]),
        global_discount: JSON.stringify(null),
        validity_days: 30,
        total_ht_cents: 1_500_000,
        total_vat_cents: 300_000,
        total_ttc_cents: 1_800_000,
        accepted_at: testNow(),
        version: 1,
        created_at: testNow(),
        updated_at: testNow(),
      } as never)
      .execute()
    const { html } = await rep.get(`/pipeline?deplacer=${deal}`)
    expect(decodeEntities(html)).toContain('Un devis signé est rattaché à cette affaire : il reste signé, seule l’étape de l’affaire change.')
    expect(decodeEntities(html)).toContain('Pourquoi la sortir de Signé ?')
  })

  it('refuses to take a deal out of Signé without a reason, then records the reason on the event and in the history', async () => {
    const before = await fingerprint(app.rt.db, 'deals', deal)
    const refused = await rep.post(`/pipeline?deplacer=${deal}`, move(deal, before.version, 'NEGOCIATION'))
    expect(refused.res.status).toBe(422)
    expect(decodeEntities(refused.html)).toContain('Indiquez pourquoi cette affaire signée est rouverte.')
    expect(await fingerprint(app.rt.db, 'deals', deal)).toEqual(before)
    const js = await rep.post('/pipeline', move(deal, before.version, 'NEGOCIATION', { js: '1' }))
    expect(js.res.status).toBe(422)
    const { res } = await rep.post(`/pipeline?deplacer=${deal}`, move(deal, before.version, 'NEGOCIATION', { reopen_reason: 'Avenant : quantités revues' }))
    expect(res.status).toBe(302)
    expect(await lastEvent()).toMatchObject({
      type: 'DealStageChanged',
      data: { from: 'SIGNE', to: 'NEGOCIATION', reopen_reason: 'Avenant : quantités revues' },
    })
    const page = await rep.get(`/deals/${deal}`)
    const text = textOf(page.html)
    expect(text).toContain('Étape : Signé → Négociation — Raison de la réouverture : Avenant : quantités revues')
  })
})
