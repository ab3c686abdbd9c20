// The process the crash and shutdown tests start, kill and start again (never used by
// the app). CRASH_CHILD_MODE says what it does; it reports on stdout, one line each:
//   seed     Postgres (DATABASE_URL) and the demo load of a start, as the runtime does it;
//            `seeded` at the end. With ALFORIS_CRASH_AT it dies on the way.
//   burst    the runtime on ALFORIS_DATA_DIR, then organisations created one after the
//            other: `ack <id>` once each command returned (committed).
//   project  the runtime without its projector, then a projector in small batches:
//            `batch <n>` after each checkpoint move.
//   check    the runtime, the projector caught up, then `result <json>`: Postgres and
//            ClickHouse side by side, and the read models before and after a rebuild.
import { createHash } from 'node:crypto'
import { chQuery } from '../../projections/clickhouse.js'
import { startProjector } from '../../projections/projector.js'
import { rebuildProjections } from '../../projections/rebuild.js'
import { givenOrganisation } from '../../testing/crm-records.js'
import { DEMO_WORKSPACE } from '../../seed/demo-team.js'
import { loadDemo, startDatabase, startRuntime, type DemoSeedOptions, type Runtime } from '../runtime.js'

const say = (line: string) => process.stdout.write(`${line}\n`)
const log = (m: string) => process.stderr.write(`[child] ${m}\n`)
const seed = JSON.parse(process.env.CRASH_CHILD_SEED ?? '{}') as DemoSeedOptions & { asOf?: string }
const seedOptions: DemoSeedOptions = { ...seed, asOf: seed.asOf ? new Date(seed.asOf) : undefined }

async function start(projector: boolean): Promise<Runtime> {
  return startRuntime({ dataDir: process.env.ALFORIS_DATA_DIR, seed: seedOptions, projector, jobs: 'off', log })
}

/** Every ClickHouse table's rows (FINAL: as queries see them), as one digest per table; names come from system tables, not input. */
async function readModels(rt: Runtime): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await chQuery<{ name: string }>(
    rt.ch,
    `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' ORDER BY name`,
  )
  const out: Record<string, { rows: number; digest: string }> = {}
  for (const { name } of tables) {
    // `cp` is the checkpoint a row was written at: a rebuild writes in other batches.
    const columns = await chQuery<{ name: string }>(
      rt.ch,
      'SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {t:String} ORDER BY position',
      { t: name },
    )
    const list = columns.map((c) => c.name).filter((c) => c !== 'cp')
    const rows = await chQuery<Record<string, unknown>>(rt.ch, `SELECT ${list.map((c) => `\`${c}\``).join(', ')} FROM ${name} FINAL ORDER BY ALL`)
    out[name] = { rows: rows.length, digest: createHash('sha256').update(JSON.stringify(rows)).digest('hex') }
  }
  return out
}

async function main() {
  const mode = process.env.CRASH_CHILD_MODE
  if (mode === 'seed') {
    const { db, sql } = await startDatabase({ databaseUrl: process.env.DATABASE_URL, log })
    await loadDemo(db, seedOptions, log)
    await sql.end({ timeout: 1 })
    say('seeded')
    return
  }
  if (mode === 'burst') {
    const rt = await start(true)
    const ws = await rt.db.selectFrom('workspaces').select('id').where('slug', '=', DEMO_WORKSPACE.slug).executeTakeFirstOrThrow()
    say('ready')
    for (let i = 0; i < 5_000; i++) {
      const id = await givenOrganisation(rt.db, { workspaceId: ws.id, actorId: null, now: new Date(), source: 'web' }, { name: `Rafale ${i}` })
      say(`ack ${id}`)
    }
    await rt.stop()
    return
  }
  if (mode === 'project') {
    const rt = await start(false)
    let n = 0
    const p = await startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log, batchSize: 25, onBatch: () => say(`batch ${++n}`) })
    await p.waitForCatchUp(120_000)
    say('caught-up')
    await p.stop()
    await rt.stop()
    return
  }
  if (mode === 'check') {
    const rt = await start(true)
    await rt.projector!.waitForCatchUp(60_000)
    const postgres = await rt.db.selectFrom('organisations').select('id').orderBy('id').execute()
    const clickhouse = await chQuery<{ id: string }>(rt.ch, 'SELECT toString(organisation_id) AS id FROM organisations_current FINAL ORDER BY id')
    const deals = await rt.db
      .selectFrom('deals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    const chDeals = await chQuery<{ n: string }>(rt.ch, 'SELECT count() AS n FROM deals_current FINAL')
    const projected = await readModels(rt)
    await rt.projector!.stop()
    await rebuildProjections({ db: rt.db, ch: rt.ch })
    const rebuilt = await readModels(rt)
    await rt.stop()
    say(
      `result ${JSON.stringify({
        organisations: postgres.map((r) => r.id),
        chOrganisations: clickhouse.map((r) => r.id),
        deals: Number(deals.n),
        chDeals: Number(chDeals[0].n),
        projected,
        rebuilt,
      })}`,
    )
    return
  }
  throw new Error(`CRASH_CHILD_MODE inconnu : ${mode}`)
}

main().then(
  () => process.exit(0),
  (e) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e))
    process.exit(1)
  },
)
