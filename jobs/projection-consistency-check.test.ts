import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { CHECK_CONSISTENCY, type ConsistencyDetails } from './projection-consistency-check.job.js'
import { FINISHED_JOB_STATES, waitUntil } from '../testing/wait.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime({ projector: true, jobs: 'work' })
})
afterAll(async () => {
  await rt?.stop()
})

const orgFields = {
  name: 'Menuiserie Roche',
  siren: null,
  siret: null,
  vat_number: null,
  address: null,
  postal_code: '69003',
  city: 'Lyon',
  sector: 'BTP',
  size: 'PME',
  status: 'prospect' as const,
  owner_id: null,
}
const dealFields = (organisation_id: string, amount_cents: number) => ({
  title: `Affaire ${amount_cents}`,
  organisation_id,
  amount_cents,
  expected_close_date: null,
  owner_id: null,
  category: 'Licences',
  source: 'Site web',
  region: 'Auvergne-Rhône-Alpes',
})

/** Runs the check through pg-boss and waits for pg-boss to report the job finished. */
async function runCheck(workspaceId: string) {
  const id = await rt.jobs!.send(CHECK_CONSISTENCY, { workspaceId })
  expect(id).not.toBeNull()
  const job = await waitUntil(`consistency check job ${id} finished`, async () => {
    const job = await rt.jobs!.boss.getJobById(CHECK_CONSISTENCY, id!, { includeArchive: true })
    return job && FINISHED_JOB_STATES.includes(job.state) && job
  })
  expect(job.state).toBe('completed')
  return rt.db.selectFrom('consistency_checks').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').executeTakeFirstOrThrow()
}

async function givenDeals() {
  const w = await givenWorkspace(rt.db)
  const orgId = randomUUID()
  await createOrganisationCommand(rt.db, w.ctx(), { id: orgId, fields: orgFields })
  const ids = [randomUUID(), randomUUID(), randomUUID()]
  await createDealCommand(rt.db, w.ctx(), { id: ids[0], fields: dealFields(orgId, 1_200_000), stage: 'PROSPECT' })
  await createDealCommand(rt.db, w.ctx(), { id: ids[1], fields: dealFields(orgId, 3_450_000), stage: 'QUALIFICATION' })
  await createDealCommand(rt.db, w.ctx(), { id: ids[2], fields: dealFields(orgId, 800_000), stage: 'PROSPECT' })
  await changeDealStageCommand(rt.db, w.ctx(), { id: ids[1], to: 'SIGNE' })
  await changeDealStageCommand(rt.db, w.ctx(), { id: ids[2], to: 'PERDU', lostReason: 'Concurrent retenu' })
  return { ...w, orgId }
}

describe('the nightly projection consistency check', () => {
  it('is scheduled at 03:00 Europe/Paris on a queue with a dead-letter twin', async () => {
    const schedules = await rt.jobs!.boss.getSchedules()
    expect(schedules.find((s) => s.name === CHECK_CONSISTENCY)).toMatchObject({ cron: '0 3 * * *', timezone: 'Europe/Paris' })
    const queue = await rt.jobs!.boss.getQueue(CHECK_CONSISTENCY)
    expect(queue).toMatchObject({ policy: 'stately', deadLetter: `${CHECK_CONSISTENCY}-dlq`, retryLimit: 3 })
    expect(await rt.jobs!.boss.getQueue(`${CHECK_CONSISTENCY}-dlq`)).not.toBeNull()
  })

  it('records agreement when ClickHouse has the same deal figures as Postgres', async () => {
    const w = await givenDeals()
    await rt.projector!.waitForCatchUp()
    const check = await runCheck(w.workspaceId)
    const details = check.details as unknown as ConsistencyDetails
    expect(check.ok).toBe(true)
    const expected = { deals: 3, open_deals: 1, open_amount_cents: 1_200_000, won_deals: 1, won_amount_cents: 3_450_000 }
    expect(details.postgres).toEqual(expected)
    expect(details.clickhouse).toEqual(expected)
    expect(details.differences).toEqual([])
  })

  it('waits for the projector before comparing fresh writes', async () => {
    const w = await givenDeals()
    // No waitForCatchUp here: the job itself must not compare against a lagging read model.
    const check = await runCheck(w.workspaceId)
    expect(check.ok).toBe(true)
    expect((check.details as unknown as ConsistencyDetails).clickhouse).toMatchObject({ deals: 3 })
  })

  it('records a disagreement when Postgres has a deal that no event told ClickHouse about', async () => {
    const w = await givenDeals()
    const now = new Date()
    // Only the columns this test cares about: later migrations' columns keep their defaults.
    await sql`
      insert into deals (id, workspace_id, title, organisation_id, amount_cents, stage, probability, stage_changed_at, version, created_at, updated_at)
      values (${randomUUID()}, ${w.workspaceId}, 'Saisie hors commande', ${w.orgId}, 990000, 'PROPOSITION', 50, ${now}, 1, ${now}, ${now})`.execute(rt.db)
    await rt.projector!.waitForCatchUp()
    const check = await runCheck(w.workspaceId)
    const details = check.details as unknown as ConsistencyDetails
    expect(check.ok).toBe(false)
    expect(details.postgres).toMatchObject({ deals: 4, open_deals: 2, open_amount_cents: 2_190_000 })
    expect(details.clickhouse).toMatchObject({ deals: 3, open_deals: 1, open_amount_cents: 1_200_000 })
    expect(details.differences.map((d) => d.figure)).toEqual(['deals', 'open_deals', 'open_amount_cents'])
  })

  it('keeps at most one waiting run per scope (stately queue, singletonKey)', async () => {
    const later = new Date(Date.now() + 3_600_000)
    const first = await rt.jobs!.send(CHECK_CONSISTENCY, {}, { singletonKey: 'all', startAfter: later })
    const second = await rt.jobs!.send(CHECK_CONSISTENCY, {}, { singletonKey: 'all', startAfter: later })
    expect(first).not.toBeNull()
    expect(second).toBeNull()
    expect(await rt.jobs!.backlog()).toBeGreaterThanOrEqual(1)
    await rt.jobs!.boss.cancel(CHECK_CONSISTENCY, first!)
  })
})
