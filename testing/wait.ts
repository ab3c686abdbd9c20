/**
 * Polls `check` until it returns something other than undefined/null/false, and returns
 * that; throws after `timeoutMs` with `what` and the last value seen, instead of a poll
 * that would hang the suite until vitest's own timeout says nothing useful.
 *
 * @example const job = await waitUntil('job done', async () => { const j = await getJob(); return j?.state === 'completed' && j })
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: { timeoutMs?: number; intervalMs?: number; last?: () => unknown } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== null && v !== false) return v
    if (Date.now() > until) throw new Error(`${what}: not reached after ${timeoutMs} ms${opts.last ? ` (last: ${JSON.stringify(opts.last())})` : ''}`)
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100))
  }
}

/** pg-boss states after which a job will not run again. */
export const FINISHED_JOB_STATES = ['completed', 'failed', 'cancelled']
