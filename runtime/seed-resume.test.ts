import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createDb, type Db } from '../db/kysely.js'
import { cleanUp, ROOT, startChild } from './testing/child-process.js'
import { createTestDatabase } from '../testing/test-runtime.js'
import { CRASH_STEPS } from '../seed/crash-point.js'
import { isSeeded, seedDemo } from '../seed/seed.js'

// An interrupted first start must not wedge the install: a process killed (SIGKILL) in
// the middle of each step of the demo load, then started again without the switch,
// ends with the same demo as a load that was never interrupted.

const entry = path.join(ROOT, 'runtime/testing/crash-child.ts')
const options = { seed: 7, organisations: 12, deals: 30, asOf: '2026-11-27T00:00:00.000Z' }

/** What a demo is made of: rows per table and events per type. */
async function census(db: Db) {
  const tables = ['workspaces', 'teams', 'users', 'company_settings', 'pipeline_stages', 'organisations', 'contacts', 'deals', 'activities', 'goals'] as const
  const out: Record<string, number> = {}
  for (const t of tables) out[t] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n)
  for (const r of (await sql<{ type: string; n: string }>`select type, count(*) as n from events group by type order by type`.execute(db)).rows)
    out[`event ${r.type}`] = Number(r.n)
  return out
}
const dealsOf = (db: Db) => db.selectFrom('deals').select(['id', 'stage', 'amount_cents', 'owner_id', 'version']).orderBy('id').execute()
const organisationsOf = (db: Db) => db.selectFrom('organisations').select(['id', 'status', 'version']).orderBy('id').execute()

let reference: ReturnType<typeof createDb>
beforeAll(async () => {
  reference = createDb(await createTestDatabase(), { max: 2 })
  await seedDemo(reference.db, { ...options, asOf: new Date(options.asOf) })
})
afterAll(async () => {
  await cleanUp([])
  await reference?.db.destroy()
})

describe('a first start killed while the demo loads', () => {
  // The four the issue names; the others (contacts, statuses, goals) work the same way and cost 20 s each on a loaded machine.
  it.each(CRASH_STEPS.filter((s) => ['identity', 'organisations', 'deals', 'activities'].includes(s)))(
    'is completed by the next start when killed at the %s step',
    async (step) => {
      const url = await createTestDatabase()
      const { db } = createDb(url, { max: 2 })
      try {
        const crashed = startChild(entry, { CRASH_CHILD_MODE: 'seed', DATABASE_URL: url, CRASH_CHILD_SEED: JSON.stringify(options), ALFORIS_CRASH_AT: step })
        const end = await crashed.exited
        expect(end.signal, crashed.output()).toBe('SIGKILL')
        expect(await isSeeded(db)).toBe(false)

        // Started again as the app would be, with other sizes: the interrupted run keeps its own.
        const again = startChild(entry, { CRASH_CHILD_MODE: 'seed', DATABASE_URL: url, CRASH_CHILD_SEED: JSON.stringify({ organisations: 3, deals: 5 }) })
        await again.waitFor(/^seeded$/)
        expect((await again.exited).code).toBe(0)

        expect(await isSeeded(db)).toBe(true)
        expect(await census(db)).toEqual(await census(reference.db))
        expect(await dealsOf(db)).toEqual(await dealsOf(reference.db))
        expect(await organisationsOf(db)).toEqual(await organisationsOf(reference.db))
      } finally {
        await db.destroy()
      }
    },
  )
})
