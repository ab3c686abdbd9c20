import type { ClickHouse } from '../clickhouse.js'

/**
 * A ClickHouse client that fails like a projector dying mid-batch. `after-insert`:
 * every insert reaches ClickHouse, then throws (as if the process died before the
 * checkpoint moved). `second-insert`: the first insert of each batch lands, the
 * next one fails (half a batch written). `failed` resolves on the first failure;
 * after `times` failures (default: never) the client behaves again.
 */
export function faultyClickHouse(ch: ClickHouse, mode: 'after-insert' | 'second-insert', opts: { times?: number } = {}) {
  let resolveFailed!: () => void
  const failed = new Promise<void>((r) => { resolveFailed = r })
  let inserts = 0
  let failures = 0
  const fail = (message: string) => {
    failures++
    resolveFailed()
    throw new Error(message)
  }
  const client = new Proxy(ch, {
    get(target, prop, receiver) {
      if (prop !== 'insert') return Reflect.get(target, prop, receiver)
      return async (params: Parameters<ClickHouse['insert']>[0]) => {
        if (failures >= (opts.times ?? Infinity)) return target.insert(params)
        inserts++
        if (mode === 'second-insert' && inserts % 2 === 0) fail('ClickHouse indisponible (simulé)')
        const r = await target.insert(params)
        if (mode === 'after-insert') fail('processus interrompu après l’insertion (simulé)')
        return r
      }
    },
  })
  return { client, failed }
}
