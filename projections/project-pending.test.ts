import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { readEventsAfter } from './project-pending.js'
import { ORIGIN } from './projected-event.js'
import { dealFields } from './testing/crm-data.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

describe('reading the event store', () => {
  it('orders transaction ids as numbers, not as text nor by position', async () => {
    const w = await givenWorkspace(rt.db)
    // Explicit old transaction ids across a digit boundary ('100' sorts before '99' as text), older than any real one: a fresh cluster's own xids start in the hundreds.
    const insert = async (txId: string) => {
      const id = randomUUID()
      await sql`
        insert into events (tx_id, workspace_id, stream_type, stream_id, stream_version, type, data, meta)
        values (${txId}::xid8, ${w.workspaceId}, 'deal', ${id}, 1, 'DealCreated', ${{ id, workspace_id: w.workspaceId, at: new Date().toISOString(), stage: 'PROSPECT', probability: 10, ...dealFields(randomUUID(), 1) }}, ${{ actorId: null }})`.execute(
        rt.db,
      )
      return id
    }
    const later = await insert('100')
    const earlier = await insert('99')
    const events = await readEventsAfter(rt.db, ORIGIN, 2)
    expect(events.map((e) => [e.tx_id, e.stream_id])).toEqual([
      ['99', earlier],
      ['100', later],
    ])
    const after = await readEventsAfter(rt.db, { tx_id: '99', position: events[0].position }, 1)
    expect(after.map((e) => e.stream_id)).toEqual([later])
  })
})
