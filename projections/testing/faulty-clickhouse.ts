import type { ClickHouse } from '../clickhouse.js'

/**
 * A ClickHouse client that fails like a projector dying mid-batch. `after-insert`:
 * every insert reaches ClickHouse, then throws (as if the process died before the
 * checkpoint moved). `second-insert`: the first insert of each batch lands, the
 * next one fails (half a batch written). `failed` resolves on the first failure.
 */
export function faultyClickHouse(ch: ClickHouse, mode: 'after-insert' | 'second-insert') {
  let resolveFailed!: () => void
  const failed = new Promise<void>((r) => { resolveFailed = r })
  let inserts = 0
  const client = new Proxy(ch, {
    get(target, prop, receiver) {
      if (prop !== 'insert') return Reflect.get(target, prop, receiver)
      return async (params: Parameters<ClickHouse['insert']>[0]) => {
        inserts++
        if (mode === 'second-insert' && inserts % 2 === 0) {
          resolveFailed()
          throw new Error('ClickHouse indisponible (simulé)')
        }
        const r = await target.insert(params)
        if (mode === 'after-insert') {
          resolveFailed()
          throw new Error('processus interrompu après l’insertion (simulé)')
        }
        return r
      }
    },
  })
  return { client, failed }
}
