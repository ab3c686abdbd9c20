import { sql } from 'kysely'
import { startRuntime } from '../runtime/runtime.js'
import { dayEndIso, openPipelineAtQuery } from './dashboards.postgres.js'
const rt = await startRuntime({ dataDir: '.data/bench-dashboards-100k', ephemeral: true, projector: false, jobs: 'off', seed: false, log: () => {} })
const ws = (await rt.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id
const f = { workspaceId: ws, from: '2026-10-29', to: '2026-11-27', ownerIds: null, teamId: null }
const q = openPipelineAtQuery(f, '2026-10-28', await dayEndIso(rt.db, '2026-10-28')).compile(rt.db)
const r = await rt.db.executeQuery({ ...q, sql: 'explain (analyze, buffers) ' + q.sql } as any)
console.log((r.rows as any[]).map((x) => x['QUERY PLAN']).join('\n'))
await rt.stop()
