import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanUp, livePostmaster, ROOT, startChild, tempDataDir } from './testing/child-process.js'

// Restart after kill -9 (what the OOM killer does): the embedded Postgres is stopped by
// its watchdog or, when it outlived us, by the next start; nothing acknowledged is lost
// and ClickHouse ends as an uninterrupted projection would have left it.

const entry = path.join(ROOT, 'runtime/testing/crash-child.ts')
const seed = JSON.stringify({ seed: 5, organisations: 8, deals: 30, asOf: '2026-11-27T00:00:00.000Z' })
const dirs: string[] = []
afterAll(() => cleanUp(dirs))

type Result = {
  organisations: string[]
  chOrganisations: string[]
  deals: number
  chDeals: number
  projected: Record<string, { rows: number; digest: string }>
  rebuilt: Record<string, { rows: number; digest: string }>
}

async function check(dataDir: string): Promise<Result> {
  const child = startChild(entry, { CRASH_CHILD_MODE: 'check', ALFORIS_DATA_DIR: dataDir, CRASH_CHILD_SEED: seed })
  const line = await child.waitFor(/^result /)
  expect((await child.exited).code, child.output()).toBe(0)
  expect(livePostmaster(dataDir)).toBeNull()
  return JSON.parse(line.slice('result '.length)) as Result
}

describe('a start after kill -9', () => {
  it('is healthy, with every acknowledged write in Postgres and ClickHouse, and no postmaster left', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    const burst = startChild(entry, { CRASH_CHILD_MODE: 'burst', ALFORIS_DATA_DIR: dataDir, CRASH_CHILD_SEED: seed })
    await burst.waitFor(/^ack /)
    // Mid-burst: some writes acknowledged, the next one in flight.
    await expect.poll(() => burst.lines.filter((l) => l.startsWith('ack ')).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(20)
    burst.proc.kill('SIGKILL')
    await burst.exited
    const acked = burst.lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4))
    // The watchdog ends the orphaned postmaster on its own.
    await expect.poll(() => livePostmaster(dataDir), { timeout: 30_000 }).toBeNull()

    const r = await check(dataDir)
    for (const id of acked) expect(r.organisations).toContain(id)
    expect(r.chOrganisations).toEqual(r.organisations)
    expect(r.chDeals).toBe(r.deals)
    expect(r.projected).toEqual(r.rebuilt)
  })

  it('during the projector catch-up ends with the read models of an uninterrupted projection', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    // No watchdog: the postmaster outlives its Node process, as when both are killed.
    const projecting = startChild(entry, { CRASH_CHILD_MODE: 'project', ALFORIS_DATA_DIR: dataDir, CRASH_CHILD_SEED: seed, ALFORIS_PG_WATCHDOG: 'off' })
    await projecting.waitFor(/^batch 3$/)
    projecting.proc.kill('SIGKILL')
    await projecting.exited
    expect(projecting.lines).not.toContain('caught-up')
    expect(livePostmaster(dataDir)).not.toBeNull()

    // The next start stops the orphan, then its projector resumes from the checkpoint.
    const r = await check(dataDir)
    expect(r.chOrganisations).toEqual(r.organisations)
    expect(r.chDeals).toBe(r.deals)
    expect(r.deals).toBe(30)
    expect(r.projected).toEqual(r.rebuilt)
  })
})
