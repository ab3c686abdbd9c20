import { type ClickHouse, insertTable } from '../clickhouse.js'

/**
 * A ClickHouse client that fails like a projector dying mid-batch. `after-insert`:
 * every insert reaches ClickHouse, then throws (as if the process died before the
 * checkpoint moved). `before-insert`: every insert throws without reaching it.
 * `second-insert`: the first insert of each batch lands, the next one fails (half a
 * batch written). With `table`, only inserts into that table misbehave. `failed`
 * resolves on the first failure; after `times` failures (default: never) the client
 * behaves again.
 */
export function faultyClickHouse(ch: ClickHouse, mode: 'after-insert' | 'before-insert' | 'second-insert', opts: { times?: number; table?: string } = {}) {
  let resolveFailed!: () => void
  const failed = new Promise<void>((r) => {
    resolveFailed = r
  })
  let inserts = 0
  let failures = 0
  const fail = (message: string) => {
    failures++
    resolveFailed()
    throw new Error(message)
  }
  // chInsert writes through `exec` (INSERT … FORMAT JSONCompactColumns), other code through `insert`.
  const misbehave = async <R>(table: string | null | undefined, write: () => Promise<R>): Promise<R> => {
    if (failures >= (opts.times ?? Infinity) || (opts.table && table !== opts.table)) return write()
    inserts++
    if (mode === 'before-insert' || (mode === 'second-insert' && inserts % 2 === 0)) fail('ClickHouse indisponible (simulé)')
    const r = await write()
    if (mode === 'after-insert') fail('processus interrompu après l’insertion (simulé)')
    return r
  }
  const client = new Proxy(ch, {
    get(target, prop, receiver) {
      if (prop === 'insert') return (params: Parameters<ClickHouse['insert']>[0]) => misbehave(params.table, () => target.insert(params))
      if (prop === 'exec')
        return (params: Parameters<ClickHouse['exec']>[0]) => {
          const table = insertTable(params.query)
          return table ? misbehave(table, () => target.exec(params)) : target.exec(params)
        }
      return Reflect.get(target, prop, receiver)
    },
  })
  return { client, failed }
}
