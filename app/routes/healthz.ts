import type { LoaderFunctionArgs } from '@remix-run/node'
import { sql } from 'kysely'
import { lagOf } from '~/utils/analytics.server'

// For load balancers and uptime checks: no auth, no secrets, no workspace data.
// 503 when a store is down or the projector is too far behind.
const MAX_LAG_SECONDS = 300
const PROBE_TIMEOUT_MS = 3000

async function probe<T>(fn: () => Promise<T>): Promise<{ ok: boolean; ms: number; value?: T }> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS)
    })
    const value = await Promise.race([fn(), timeout])
    return { ok: true, ms: Math.round(performance.now() - started), value }
  } catch {
    return { ok: false, ms: Math.round(performance.now() - started) }
  } finally {
    clearTimeout(timer)
  }
}

export async function loader({ context }: LoaderFunctionArgs) {
  const rt = context.runtime
  // The jobs helper may predate backlog(): report null rather than fail.
  const jobs = rt.jobs as (typeof rt.jobs & { backlog?: () => Promise<number> }) | null
  const [postgres, clickhouse, lag, backlog] = await Promise.all([
    probe(() => sql`select 1`.execute(rt.db)),
    probe(async () => (await rt.ch.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json()),
    probe(() => lagOf(rt)),
    probe(async () => (jobs?.backlog ? Number(await jobs.backlog()) : null)),
  ])
  const lagSeconds = lag.value?.seconds ?? null
  const healthy = postgres.ok && clickhouse.ok && lag.ok && (lagSeconds ?? 0) <= MAX_LAG_SECONDS
  const body = {
    status: healthy ? 'ok' : 'degraded',
    postgres: { ok: postgres.ok, ms: postgres.ms },
    clickhouse: { ok: clickhouse.ok, ms: clickhouse.ms },
    projector: { lag_events: lag.value?.events ?? null, lag_seconds: lagSeconds },
    queue: { backlog: backlog.value ?? null },
  }
  return Response.json(body, { status: healthy ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}
