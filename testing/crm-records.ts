import { randomUUID } from 'node:crypto'
import type { Db } from '../db/kysely.js'
import { createDealCommand, createOrganisationCommand } from '../domain/crm/crm.commands.js'
import type { CommandContext } from '../domain/shared/events.js'

// CRM records for route tests, written through the real commands.

export async function givenOrganisation(db: Db, ctx: CommandContext, opts: { name?: string; ownerId?: string | null } = {}) {
  const id = randomUUID()
  await createOrganisationCommand(db, ctx, {
    id,
    fields: {
      name: opts.name ?? `Menuiserie ${id.slice(0, 6)}`,
      siren: null,
      siret: null,
      vat_number: null,
      address: null,
      postal_code: '69003',
      city: 'Lyon',
      sector: 'Bâtiment',
      size: 'PME',
      status: 'prospect',
      owner_id: opts.ownerId ?? null,
    },
  })
  return id
}

export async function givenDeal(
  db: Db,
  ctx: CommandContext,
  opts: { organisationId: string; title?: string; amountCents?: number; ownerId?: string | null; stage?: string },
) {
  const id = randomUUID()
  await createDealCommand(db, ctx, {
    id,
    stage: opts.stage ?? 'PROSPECT',
    fields: {
      title: opts.title ?? `Affaire ${id.slice(0, 6)}`,
      organisation_id: opts.organisationId,
      amount_cents: opts.amountCents ?? 1_000_000,
      expected_close_date: '2027-03-31',
      owner_id: opts.ownerId ?? null,
      category: null,
      source: null,
      region: null,
    },
  })
  return id
}

/** A row's version and its number of events: "nothing changed" means both stay put. */
export async function fingerprint(db: Db, table: 'organisations' | 'deals', id: string) {
  const row = await db.selectFrom(table).select(['version', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow()
  const events = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stream_id', '=', id)
    .executeTakeFirstOrThrow()
  return { version: row.version, updatedAt: new Date(row.updated_at).toISOString(), events: Number(events.n) }
}

export const organisationForm = (over: Record<string, string> = {}) => ({
  name: 'Atelier Morel',
  siren: '',
  siret: '',
  vat_number: '',
  address: '',
  postal_code: '',
  city: '',
  sector: '',
  size: '',
  status: 'prospect',
  owner_id: '',
  commandId: randomUUID(),
  ...over,
})

export const dealForm = (organisationId: string, over: Record<string, string> = {}) => ({
  title: 'Rénovation atelier',
  organisation_id: organisationId,
  amount: '12 500,50',
  expected_close_date: '2027-06-30',
  stage: 'PROSPECT',
  owner_id: '',
  commandId: randomUUID(),
  ...over,
})
