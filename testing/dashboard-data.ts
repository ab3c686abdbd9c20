import { randomUUID } from 'node:crypto'
import type { Db } from '../db/kysely.js'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { createTeam, createUser } from '../domain/identity/identity.commands.js'
import { testNow } from './clock.js'
import { TEST_PASSWORD, type givenWorkspace } from './fixtures.js'

type W = Awaited<ReturnType<typeof givenWorkspace>>

const DAY = 86_400_000

/**
 * A sales history worth a dashboard, written through the real commands with their
 * dates in the past: deals created over the last 12 months by the team's rep, its
 * manager and a rep of a second team; won, lost or still open. Deterministic.
 */
export async function givenSalesHistory(db: Db, w: W, now = testNow()) {
  const otherTeam = await createTeam(db, { workspaceId: w.workspaceId, name: 'Équipe Sud' })
  const tag = randomUUID().slice(0, 6)
  const southRep = await createUser(db, {
    workspaceId: w.workspaceId,
    email: `claire-${tag}@exemple.fr`,
    fullName: 'Claire Petit',
    password: TEST_PASSWORD,
    role: 'commercial',
    teamId: otherTeam,
  })
  await db.updateTable('users').set({ full_name: 'Julien Moreau' }).where('id', '=', w.users.commercial).execute()
  await db.updateTable('users').set({ full_name: 'Sophie Laurent' }).where('id', '=', w.users.manager).execute()
  const owners = [w.users.commercial, w.users.manager, southRep]
  const orgs: string[] = []
  for (const name of ['Boulangerie Martin', 'Garage Lefèvre', 'Imprimerie Roux', 'Menuiserie Blanc', 'Cave Dubois']) {
    const id = randomUUID()
    await createOrganisationCommand(db, w.ctx(w.users.admin, { now: new Date(now.getTime() - 400 * DAY) }), {
      id,
      fields: {
        name,
        siren: null,
        siret: null,
        vat_number: null,
        address: null,
        postal_code: '69003',
        city: 'Lyon',
        sector: 'Commerce',
        size: 'PME',
        status: 'prospect',
        owner_id: null,
      },
    })
    orgs.push(id)
  }
  const titles = [
    'Agencement boutique',
    'Mobilier atelier',
    'Cuisine showroom',
    'Rénovation bureaux',
    'Escalier chêne',
    'Aménagement siège',
    'Parquet hall',
    'Verrière atelier',
    'Comptoir bar',
  ]
  const deals: { id: string; owner: string; amount: number; outcome: 'won' | 'lost' | string; closedAt: Date | null }[] = []
  for (let i = 0; i < 42; i++) {
    const owner = owners[i % 3]
    const ageDays = 4 + ((i * 37) % 340)
    const created = new Date(now.getTime() - ageDays * DAY)
    const amount = 500_000 + ((i * 7919) % 40) * 125_000 + (i % 3) * 50_050
    const id = randomUUID()
    const ctx = (at: Date) => w.ctx(owner, { now: at })
    await createDealCommand(db, ctx(created), {
      id,
      stage: 'PROSPECT',
      fields: {
        title: `${titles[i % titles.length]} ${i + 1}`,
        organisation_id: orgs[i % orgs.length],
        amount_cents: amount,
        expected_close_date: null,
        owner_id: owner,
        category: null,
        source: null,
        region: null,
      },
    })
    const path =
      i % 5 === 0
        ? ['QUALIFICATION', 'PERDU']
        : i % 5 === 1 || i % 5 === 3
          ? ['QUALIFICATION', 'PROPOSITION', 'NEGOCIATION', 'SIGNE']
          : i % 5 === 2
            ? ['QUALIFICATION', 'PROPOSITION']
            : ['QUALIFICATION']
    let at = created
    for (const stage of path) {
      at = new Date(Math.min(now.getTime() - 60_000, at.getTime() + (2 + (i % 4)) * DAY))
      await changeDealStageCommand(db, ctx(at), { id, to: stage, lostReason: stage === 'PERDU' ? 'Budget reporté' : null })
    }
    const last = path.at(-1)
    deals.push({
      id,
      owner,
      amount,
      outcome: last === 'SIGNE' ? 'won' : last === 'PERDU' ? 'lost' : last!,
      closedAt: last === 'SIGNE' || last === 'PERDU' ? at : null,
    })
  }
  return { southRep, otherTeam, deals }
}
