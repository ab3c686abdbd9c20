import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { createDb } from '../../db/kysely.js'
import { readStream } from '../shared/run-command.js'
import { createContactCommand } from '../crm/contact.commands.js'
import { createDealCommand, createOrganisationCommand } from '../crm/crm.commands.js'
import { ConcurrencyError, DomainError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { archiveProductCommand, createProductCommand, updateProductCommand } from './product.commands.js'
import type { QuoteLine } from './quote.js'
import {
  acceptQuoteCommand,
  changeQuoteLinesCommand,
  createQuoteCommand,
  expireQuotes,
  refuseQuoteCommand,
  sendQuoteCommand,
  updateQuoteCommand,
} from './quote.commands.js'
import { snapshotSha256 } from './quote-snapshot.js'
import { getQuote, getQuoteVersion, lineFromProduct, listQuoteVersions, verifyQuoteVersion } from './sales.queries.js'

// A database of its own (no ClickHouse needed), with enough connections for 50
// transactions at once.
let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase(), { max: 60 })
})
afterAll(async () => {
  await pg?.db.destroy()
})
const db = () => pg.db

const at = (iso: string) => new Date(iso)
const line = (over: Partial<QuoteLine> = {}): QuoteLine => ({
  product_id: null,
  code: null,
  description: 'Journée de conseil',
  unit: 'jour',
  quantity: '3',
  unit_price_cents: 85_000,
  discount: null,
  vat_rate: 2000,
  vat_exemption: null,
  ...over,
})

async function givenCustomer(now = at('2026-11-02T09:00:00Z')) {
  const w = await givenWorkspace(db())
  const c = (extra: Partial<CommandContext> = {}) => w.ctx(w.users.commercial, { now, ...extra })
  const orgId = randomUUID()
  await createOrganisationCommand(db(), c(), {
    id: orgId,
    fields: {
      name: 'Boulangerie Martin',
      siren: '732829320',
      siret: null,
      vat_number: null,
      address: '3 rue des Lilas',
      postal_code: '69003',
      city: 'Lyon',
      sector: null,
      size: null,
      status: 'client',
      owner_id: null,
    },
  })
  const contactId = randomUUID()
  await createContactCommand(db(), c(), {
    id: contactId,
    fields: {
      civility: 'Mme',
      first_name: 'Claire',
      last_name: 'Martin',
      job_title: 'Gérante',
      emails: ['claire@martin.fr'],
      phones: [],
      organisation_id: orgId,
      owner_id: null,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
    },
  })
  const dealId = randomUUID()
  await createDealCommand(db(), c(), {
    id: dealId,
    stage: 'PROPOSITION',
    fields: {
      title: 'Fours 2027',
      organisation_id: orgId,
      amount_cents: 1_000_000,
      expected_close_date: null,
      owner_id: null,
      category: null,
      source: null,
      region: null,
    },
  })
  const fields = {
    organisation_id: orgId,
    contact_id: contactId,
    deal_id: dealId,
    title: 'Fours et formation',
    validity_days: 30,
    payment_terms: '30 jours fin de mois',
    notes: null,
  }
  return { ...w, c, orgId, contactId, dealId, fields }
}

describe('quote numbering', () => {
  it('gives 50 concurrent creations 50 distinct consecutive numbers', async () => {
    const w = await givenCustomer()
    const ids = Array.from({ length: 50 }, () => randomUUID())
    // Each creation is its own transaction on its own connection of the pool.
    const results = await Promise.all(ids.map((id) => createQuoteCommand(db(), w.c(), { id, fields: w.fields, lines: [line()] })))
    const numbers = results.map((r) => r.state!.number).sort()
    expect(new Set(numbers).size).toBe(50)
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `DEV-2026-${String(i + 1).padStart(4, '0')}`))
    const counter = await db().selectFrom('document_counters').selectAll().where('workspace_id', '=', w.workspaceId).execute()
    expect(counter).toEqual([{ workspace_id: w.workspaceId, kind: 'quote', year: 2026, last: 50 }])
  })

  it('numbers per workspace and per Paris year, and a failed or replayed creation takes no number', async () => {
    const a = await givenCustomer()
    const b = await givenCustomer()
    const first = await createQuoteCommand(db(), a.c(), { id: randomUUID(), fields: a.fields })
    expect(first.state!.number).toBe('DEV-2026-0001')
    expect((await createQuoteCommand(db(), b.c(), { id: randomUUID(), fields: b.fields })).state!.number).toBe('DEV-2026-0001')

    // The same id again: refused, its number given back.
    await expect(createQuoteCommand(db(), a.c(), { id: first.state!.id, fields: a.fields })).rejects.toThrow('quote.exists')
    // The same command id three times at once: one quote, one number.
    const commandId = randomUUID()
    const replays = await Promise.all([0, 1, 2].map(() => createQuoteCommand(db(), a.c({ commandId }), { id: randomUUID(), fields: a.fields })))
    expect(replays.filter((r) => !r.duplicate)).toHaveLength(1)
    expect(replays.find((r) => !r.duplicate)!.state!.number).toBe('DEV-2026-0002')
    expect((await createQuoteCommand(db(), a.c(), { id: randomUUID(), fields: a.fields })).state!.number).toBe('DEV-2026-0003')

    // 31 December 23:30 UTC is already 1 January in Paris.
    const newYear = await createQuoteCommand(db(), a.c({ now: at('2026-12-31T23:30:00Z') }), { id: randomUUID(), fields: a.fields })
    expect(newYear.state).toMatchObject({ number: 'DEV-2027-0001', year: 2027, sequence: 1 })
  })

  it('refuses references from another workspace and a deal of another organisation', async () => {
    const a = await givenCustomer()
    const b = await givenCustomer()
    await expect(
      createQuoteCommand(db(), a.c(), { id: randomUUID(), fields: { ...a.fields, organisation_id: b.orgId, contact_id: null, deal_id: null } }),
    ).rejects.toThrow('organisation_id: organisation.not_found')
    const otherOrg = randomUUID()
    await createOrganisationCommand(db(), a.c(), {
      id: otherOrg,
      fields: {
        name: 'Autre SARL',
        siren: null,
        siret: null,
        vat_number: null,
        address: null,
        postal_code: null,
        city: null,
        sector: null,
        size: null,
        status: 'prospect',
        owner_id: null,
      },
    })
    await expect(createQuoteCommand(db(), a.c(), { id: randomUUID(), fields: { ...a.fields, organisation_id: otherOrg } })).rejects.toThrow(
      'quote.deal.other_organisation',
    )
    expect(Number((await db().selectFrom('document_counters').select('last').where('workspace_id', '=', a.workspaceId).executeTakeFirst())?.last ?? 0)).toBe(0)
  })
})

describe('sending and versions', () => {
  it('freezes each sent version in quote_versions; editing after sending opens version 2, version 1 stays readable', async () => {
    const w = await givenCustomer()
    const id = randomUUID()
    await createQuoteCommand(db(), w.c(), { id, fields: w.fields, lines: [line()] })
    const s1 = await sendQuoteCommand(db(), w.c({ now: at('2026-11-02T10:00:00Z') }), { id, expectedVersion: 1 })
    expect(s1.sent).toMatchObject({
      quote_id: id,
      revision: 1,
      number: 'DEV-2026-0001',
      total_ht_cents: 255_000,
      total_vat_cents: 51_000,
      total_ttc_cents: 306_000,
      valid_until: '2026-12-02',
      sent_by: w.users.commercial,
    })
    // The stored jsonb (keys reordered by Postgres) still hashes to the recorded SHA-256.
    const v1 = await getQuoteVersion(db(), w.workspaceId, id, 1)
    expect(snapshotSha256(v1.snapshot)).toBe(v1.sha256)
    expect(verifyQuoteVersion(v1)).toBe(true)
    expect(v1.snapshot).toMatchObject({
      seller: { name: 'Atelier Test' },
      customer: { name: 'Boulangerie Martin', siren: '732829320', city: 'Lyon' },
      contact: { first_name: 'Claire', email: 'claire@martin.fr' },
    })

    // Editing the sent quote: version 2, a draft.
    const edited = await changeQuoteLinesCommand(db(), w.c({ now: at('2026-11-04T09:00:00Z') }), {
      id,
      expectedVersion: 2,
      lines: [
        line(),
        line({
          description: 'Formation',
          quantity: '1',
          unit_price_cents: 120_000,
          vat_rate: 0,
          vat_exemption: 'Exonération de TVA, article 261, 4, 4° du CGI',
        }),
      ],
      globalDiscount: null,
    })
    expect(edited.state).toMatchObject({ revision: 2, status: 'brouillon', total_ht_cents: 375_000, total_vat_cents: 51_000 })
    const s2 = await sendQuoteCommand(db(), w.c({ now: at('2026-11-04T10:00:00Z') }), { id })
    expect(s2.sent).toMatchObject({ revision: 2, total_ht_cents: 375_000, total_ttc_cents: 426_000 })

    const versions = await listQuoteVersions(db(), w.workspaceId, id)
    expect(versions.map((v) => [v.revision, v.total_ht_cents])).toEqual([
      [1, 255_000],
      [2, 375_000],
    ])
    expect(versions[0].sha256).toBe(v1.sha256)
    expect(versions[0].sha256).not.toBe(versions[1].sha256)
    expect(versions.every(verifyQuoteVersion)).toBe(true)
    // The database itself refuses to rewrite a sent version.
    await expect(db().updateTable('quote_versions').set({ total_ht_cents: 1 }).where('quote_id', '=', id).execute()).rejects.toThrow(/immutable/)

    const events = await readStream(db(), w.workspaceId, id)
    expect(events.map((e) => e.type)).toEqual(['QuoteCreated', 'QuoteSent', 'QuoteRevised', 'QuoteLinesChanged', 'QuoteSent'])
  })

  it('rejects a stale form with the usual message', async () => {
    const w = await givenCustomer()
    const id = randomUUID()
    await createQuoteCommand(db(), w.c(), { id, fields: w.fields, lines: [line()] })
    await updateQuoteCommand(db(), w.c(), { id, expectedVersion: 1, fields: { ...w.fields, notes: 'Livraison en mars' } })
    await expect(changeQuoteLinesCommand(db(), w.c(), { id, expectedVersion: 1, lines: [], globalDiscount: null })).rejects.toBeInstanceOf(ConcurrencyError)
  })

  it('copies catalogue lines: later price changes and archiving leave the quote alone', async () => {
    const w = await givenCustomer()
    const productId = randomUUID()
    const p = await createProductCommand(db(), w.c(), {
      id: productId,
      fields: {
        code: 'FOUR-1',
        name: 'Four à sole',
        description: 'Quatre étages',
        unit: 'unité',
        unit_price_cents: 1_250_000,
        vat_rate: 2000,
        vat_exemption: null,
        category: 'Matériel',
      },
    })
    const id = randomUUID()
    await createQuoteCommand(db(), w.c(), { id, fields: w.fields, lines: [lineFromProduct(p.state!, '2')] })
    await updateProductCommand(db(), w.c(), {
      id: productId,
      expectedVersion: 1,
      fields: {
        code: 'FOUR-1',
        name: 'Four à sole',
        description: 'Quatre étages',
        unit: 'unité',
        unit_price_cents: 1_400_000,
        vat_rate: 2000,
        vat_exemption: null,
        category: 'Matériel',
      },
    })
    await archiveProductCommand(db(), w.c(), { id: productId })
    const q = await getQuote(db(), w.workspaceId, id)
    expect(q.lines[0]).toMatchObject({ product_id: productId, description: 'Four à sole\nQuatre étages', unit_price_cents: 1_250_000, quantity: '2' })
    expect(q.total_ht_cents).toBe(2_500_000)
    // Still editable with its archived product on it…
    await changeQuoteLinesCommand(db(), w.c(), { id, expectedVersion: 1, lines: [{ ...q.lines[0], quantity: '3' }], globalDiscount: null })
    // …but the archived product cannot be put on another quote.
    await expect(createQuoteCommand(db(), w.c(), { id: randomUUID(), fields: w.fields, lines: [lineFromProduct(p.state!)] })).rejects.toThrow(
      'quote.line.product.archived',
    )
  })
})

describe('acceptance', () => {
  it('accepts the sent version and moves the linked deal to SIGNE at the quote HT amount, in one transaction', async () => {
    const w = await givenCustomer()
    const id = randomUUID()
    await createQuoteCommand(db(), w.c(), {
      id,
      fields: w.fields,
      lines: [line(), line({ description: 'Livraison', quantity: '1', unit_price_cents: 15_050, discount: { kind: 'percent', bps: 1000 } })],
      globalDiscount: { kind: 'amount', cents: 5_000 },
    })
    const sent = await sendQuoteCommand(db(), w.c(), { id })
    // 255 000 + (15 050 − 1 505) = 268 545 ; − 5 000 = 263 545 HT
    expect(sent.state!.total_ht_cents).toBe(263_545)
    const r = await acceptQuoteCommand(db(), w.c({ now: at('2026-11-10T15:00:00Z'), source: 'api' }), {
      id,
      revision: 1,
      sha256: sent.sent!.sha256,
      signedBy: 'Claire Martin',
    })
    expect(r.state).toMatchObject({ status: 'accepte', accepted_revision: 1, signed_by: 'Claire Martin' })
    expect(r.deal).toEqual({
      id: w.dealId,
      stage: 'SIGNE',
      amount_cents: 263_545,
      previous_stage: 'PROPOSITION',
      previous_amount_cents: 1_000_000,
      created: false,
    })
    const deal = await db().selectFrom('deals').selectAll().where('id', '=', w.dealId).executeTakeFirstOrThrow()
    expect(deal).toMatchObject({ stage: 'SIGNE', amount_cents: 263_545, probability: 100 })
    // Amount first, then the stage: the won event carries the signed amount. All in one transaction.
    const events = await db()
      .selectFrom('events')
      .select(['type', 'data', 'tx_id'])
      .where('stream_id', 'in', [id, w.dealId])
      .where('type', 'in', ['QuoteAccepted', 'DealUpdated', 'DealStageChanged'])
      .orderBy('position')
      .execute()
    expect(events.map((e) => e.type)).toEqual(['QuoteAccepted', 'DealUpdated', 'DealStageChanged'])
    expect(events[2].data).toMatchObject({ to: 'SIGNE', amount_cents: 263_545, closed: true })
    expect(new Set(events.map((e) => e.tx_id)).size).toBe(1)

    // The accepted version can never change.
    const q = await getQuote(db(), w.workspaceId, id)
    await expect(
      changeQuoteLinesCommand(db(), w.c(), { id, expectedVersion: q.version, lines: [line({ quantity: '1' })], globalDiscount: null }),
    ).rejects.toThrow('quote.accepted_is_final')
    await expect(updateQuoteCommand(db(), w.c(), { id, expectedVersion: q.version, fields: { ...w.fields, notes: 'x' } })).rejects.toBeInstanceOf(DomainError)
    await expect(refuseQuoteCommand(db(), w.c(), { id })).rejects.toThrow('quote.accepted_is_final')
    expect(await getQuote(db(), w.workspaceId, id)).toMatchObject({ version: q.version, total_ht_cents: 263_545, status: 'accepte' })
    // A webhook delivered twice changes nothing.
    const again = await acceptQuoteCommand(db(), w.c(), { id, revision: 1 })
    expect(again.events).toEqual([])
    expect(again.deal).toBeNull()
  })

  it('rolls everything back when the deal cannot follow', async () => {
    const w = await givenCustomer()
    const id = randomUUID()
    await createQuoteCommand(db(), w.c(), { id, fields: w.fields, lines: [line()] })
    await sendQuoteCommand(db(), w.c(), { id })
    // A pipeline without a won stage (misconfigured workspace).
    await db().updateTable('pipeline_stages').set({ kind: 'open' }).where('workspace_id', '=', w.workspaceId).where('kind', '=', 'won').execute()
    await expect(acceptQuoteCommand(db(), w.c(), { id, revision: 1 })).rejects.toThrow('quote.pipeline.no_won')
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('envoye')
    expect(await db().selectFrom('deals').select(['stage', 'amount_cents']).where('id', '=', w.dealId).executeTakeFirst()).toEqual({
      stage: 'PROPOSITION',
      amount_cents: 1_000_000,
    })
    expect(await db().selectFrom('events').select('type').where('stream_id', '=', id).where('type', '=', 'QuoteAccepted').execute()).toEqual([])
  })

  it('accepts a quote without a deal and creates its deal, SIGNE at the quote HT amount, owned by the quote author', async () => {
    const w = await givenCustomer()
    const id = randomUUID()
    await createQuoteCommand(db(), w.c(), { id, fields: { ...w.fields, deal_id: null }, lines: [line()] })
    await sendQuoteCommand(db(), w.c(), { id })
    const r = await acceptQuoteCommand(db(), w.c(), { id, revision: 1 })
    expect(r).toMatchObject({ deal: { stage: 'SIGNE', amount_cents: 255_000, created: true, previous_stage: null }, state: { status: 'accepte' } })
    expect(r.state!.deal_id).toBe(r.deal!.id)
    const deal = await db().selectFrom('deals').selectAll().where('id', '=', r.deal!.id).executeTakeFirstOrThrow()
    expect(deal).toMatchObject({
      stage: 'SIGNE',
      amount_cents: 255_000,
      organisation_id: w.orgId,
      owner_id: w.users.commercial,
      title: 'Fours et formation (DEV-2026-0001)',
    })
    // Accepting again creates no second deal.
    await acceptQuoteCommand(db(), w.c(), { id, revision: 1 })
    expect(await db().selectFrom('deals').select('id').where('organisation_id', '=', w.orgId).where('title', 'like', '%DEV-2026-0001%').execute()).toHaveLength(
      1,
    )
  })

  it('a refusal can mark the linked deal PERDU with its reason, and needs the reason for it', async () => {
    const w = await givenCustomer()
    const id = randomUUID()
    await createQuoteCommand(db(), w.c(), { id, fields: w.fields, lines: [line()] })
    await sendQuoteCommand(db(), w.c(), { id })
    await expect(refuseQuoteCommand(db(), w.c(), { id, markDealLost: true, reason: ' ' })).rejects.toThrow('quote.refusal_reason.required_for_lost')
    expect((await getQuote(db(), w.workspaceId, id)).status).toBe('envoye')
    const r = await refuseQuoteCommand(db(), w.c(), { id, markDealLost: true, reason: 'Budget reporté à 2028' })
    expect(r).toMatchObject({ dealLost: true, state: { status: 'refuse', refusal_reason: 'Budget reporté à 2028' } })
    expect(await db().selectFrom('deals').select(['stage', 'lost_reason']).where('id', '=', w.dealId).executeTakeFirst()).toEqual({
      stage: 'PERDU',
      lost_reason: 'Budget reporté à 2028',
    })
  })
})

describe('expireQuotes (the daily job)', () => {
  it('expires the sent quotes past their last valid day, only them, and is safe to run twice', async () => {
    const w = await givenCustomer(at('2026-10-01T08:00:00Z'))
    const mk = async (sentAt: string, validity = 30) => {
      const id = randomUUID()
      await createQuoteCommand(db(), w.c({ now: at(sentAt) }), { id, fields: { ...w.fields, validity_days: validity }, lines: [line()] })
      await sendQuoteCommand(db(), w.c({ now: at(sentAt) }), { id })
      return id
    }
    const old = await mk('2026-10-01T08:00:00Z') // valid through 31 October
    const lastDay = await mk('2026-10-02T08:00:00Z') // valid through 1 November
    const fresh = await mk('2026-10-20T08:00:00Z')
    const signed = await mk('2026-10-01T08:00:00Z')
    await acceptQuoteCommand(db(), w.c({ now: at('2026-10-05T08:00:00Z') }), { id: signed, revision: 1 })
    const draft = randomUUID()
    await createQuoteCommand(db(), w.c({ now: at('2026-09-01T08:00:00Z') }), { id: draft, fields: w.fields, lines: [line()] })

    // 1 November 2026, 12:00 Paris.
    const now = at('2026-11-01T11:00:00Z')
    const r = await expireQuotes(db(), now)
    expect(r.expired).toContain(old)
    for (const id of [lastDay, fresh, signed, draft]) expect(r.expired).not.toContain(id)
    const status = async (id: string) => (await getQuote(db(), w.workspaceId, id)).status
    expect(await status(old)).toBe('expire')
    expect([await status(lastDay), await status(fresh), await status(signed), await status(draft)]).toEqual(['envoye', 'envoye', 'accepte', 'brouillon'])
    const expiredEvent = await db()
      .selectFrom('events')
      .select(['type', 'meta'])
      .where('stream_id', '=', old)
      .where('type', '=', 'QuoteExpired')
      .executeTakeFirstOrThrow()
    expect(expiredEvent.meta).toMatchObject({ actorId: null, source: 'job' })

    const mine: string[] = [old, lastDay, fresh, signed, draft]
    expect((await expireQuotes(db(), now)).expired.filter((id) => mine.includes(id))).toEqual([])
    // The next day, the last-day one goes too.
    expect((await expireQuotes(db(), at('2026-11-02T11:00:00Z'))).expired).toContain(lastDay)
    await expect(acceptQuoteCommand(db(), w.c({ now: at('2026-11-02T12:00:00Z') }), { id: lastDay, revision: 1 })).rejects.toThrow(
      'quote.expired {"date":{"day":"2026-11-01"}}',
    )
  })
})

describe('tenancy', () => {
  it('never reads or changes a quote of another workspace', async () => {
    const a = await givenCustomer()
    const b = await givenCustomer()
    const id = randomUUID()
    await createQuoteCommand(db(), a.c(), { id, fields: a.fields, lines: [line()] })
    await expect(getQuote(db(), b.workspaceId, id)).rejects.toThrow('quote.not_found')
    await expect(sendQuoteCommand(db(), b.c(), { id })).rejects.toThrow('quote.not_found')
    await expect(acceptQuoteCommand(db(), b.c(), { id, revision: 1 })).rejects.toThrow('quote.not_found')
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from quote_versions where quote_id = ${id}`.execute(db())).rows[0].n)).toBe(0)
  })
})
