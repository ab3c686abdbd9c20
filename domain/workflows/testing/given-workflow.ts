import { randomBytes, randomUUID } from 'node:crypto'
import type PgBoss from 'pg-boss'
import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import { DISPATCHER_CHECKPOINT, dispatchPending } from '../engine/dispatch.js'
import { type EngineDeps, RUN_QUEUE, type RunJob } from '../engine/engine-deps.js'
import { executeRunJob } from '../engine/execute.js'
import { definitionSchema, type WorkflowDefinition } from '../workflow.definition.js'

// Tests create active workflows directly (both rows, version 1 published), without the
// editor's commands (built in parallel, issue 7 part A).

/** `publishedBy`: whose rights the version acts with (ADR 0023); absent = the system (whole workspace). */
export async function givenWorkflow(
  db: Db,
  o: { workspaceId: string; ownerId?: string | null; publishedBy?: string | null; name?: string; enabled?: boolean; definition: unknown },
) {
  const id = randomUUID()
  const definition: WorkflowDefinition = definitionSchema.parse(o.definition)
  const secret = randomBytes(24).toString('hex')
  await db
    .insertInto('workflows')
    .values({
      id,
      workspace_id: o.workspaceId,
      name: o.name ?? `Workflow ${id.slice(0, 6)}`,
      owner_id: o.ownerId ?? null,
      enabled: o.enabled ?? true,
      template_key: null,
      draft: definition,
      published_version: 1,
      webhook_secret: secret,
      deleted_at: null,
    })
    .execute()
  await db
    .insertInto('workflow_versions')
    .values({
      workflow_id: id,
      version: 1,
      workspace_id: o.workspaceId,
      trigger_kind: definition.trigger.kind,
      definition,
      published_by: o.publishedBy ?? null,
    })
    .execute()
  return { id, secret, definition }
}

/** The engine's clock in tests: real time plus an offset the test moves (reset puts it back). */
export function testClock() {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms
    },
    set: (d: Date) => {
      offset = d.getTime() - Date.now()
    },
    reset: () => {
      offset = 0
    },
  }
}

/**
 * Runs the engine until nothing is left to do now: dispatch the committed events, then
 * every `workflows.run` job pg-boss would hand out, over and over. Jobs due later (delays
 * by the engine clock, backoffs) stay queued: `releaseDueJobs` makes them due.
 */
export async function drainWorkflows(deps: EngineDeps, boss: PgBoss, opts: { dispatch?: boolean; maxRounds?: number } = {}) {
  let executed = 0
  let waits = 0
  for (let round = 0; round < (opts.maxRounds ?? 200); round++) {
    let n = opts.dispatch === false ? 0 : await dispatchPending(deps)
    const jobs = await boss.fetch<RunJob>(RUN_QUEUE, { batchSize: 50 })
    for (const j of jobs) {
      await executeRunJob(deps, j.data)
      await boss.complete(RUN_QUEUE, j.id)
    }
    n += jobs.length
    executed += jobs.length
    if (n === 0) {
      // Nothing read, but committed events may still be past the checkpoint: the
      // dispatcher reads below the cluster's snapshot xmin, which another test file's open
      // transaction (same cluster, other database) holds back for a moment. Wait for it
      // rather than return before they are dispatched.
      if (opts.dispatch !== false && waits < 1200 && (await eventsPastCheckpoint(deps.db))) {
        waits++
        round-- // up to 30 s of waiting, not counted as busy rounds
        await new Promise((r) => setTimeout(r, 25))
        continue
      }
      return executed
    }
  }
  throw new Error('drainWorkflows: still busy after maxRounds')
}

async function eventsPastCheckpoint(db: Db): Promise<boolean> {
  const r = await sql<{ behind: boolean }>`
    select exists (
      select 1 from events e left join projection_checkpoints c on c.name = ${DISPATCHER_CHECKPOINT}
      where c.name is null or (e.tx_id, e.position) > (c.tx_id, c.position)
    ) as behind`.execute(db)
  return r.rows[0]?.behind ?? false
}

/**
 * pg-boss schedules by the database's clock, the engine by deps.now: jobs whose start time
 * is already past by the engine's clock are made due now (what waiting would do).
 */
export async function releaseDueJobs(db: Db, engineNow: Date): Promise<number> {
  const r = await sql`update pgboss.job set start_after = now() where name = ${RUN_QUEUE} and state in ('created', 'retry') and start_after > now()
    and start_after <= now() + (${engineNow.getTime() - Date.now()}::bigint * interval '1 millisecond')`.execute(db)
  return Number(r.numAffectedRows ?? 0)
}
