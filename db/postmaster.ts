import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import type net from 'node:net'
import path from 'node:path'
import { EmbeddedPostgresError } from './postgres-access.js'

// The embedded cluster's process outside the happy path: a postmaster left running by a
// Node process that was killed hard (kill -9, the OOM killer), and a watchdog that stops
// the postmaster when its Node process dies (docs/decisions/0021-resumable-seed-and-orphan-postmaster.md).

/** What `postmaster.pid` says: the server's pid, and its port when it got that far. */
export type PostmasterLock = { pid: number; port: number | null }

export function readPostmasterPid(databaseDir: string): PostmasterLock | null {
  let text: string
  try {
    text = fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8')
  } catch {
    return null
  }
  // Lines: pid, data directory, start time, port, socket directory, listen address, shmem key, status.
  const lines = text.split('\n')
  const pid = Number(lines[0])
  if (!Number.isSafeInteger(pid) || pid <= 0) return null
  const port = Number(lines[3])
  return { pid, port: Number.isSafeInteger(port) && port > 0 ? port : null }
}

/** `/proc/<pid>/stat` after the command name: state, ppid… (Linux only). */
function procStat(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

function ps(pid: number, field: 'command' | 'ppid'): string | null {
  try {
    return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null
  } catch {
    return null
  }
}

/** True while `pid` runs (a zombie waiting for its parent has ended). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (e) {
    // EPERM: it exists, under another user (the `postgres` user when we are not root).
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const stat = procStat(pid)
  return stat ? stat[0] !== 'Z' && stat[0] !== 'X' : true
}

function commandOf(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ps(pid, 'command')
  }
}

function parentOf(pid: number): number | null {
  const stat = procStat(pid)
  const ppid = Number(stat ? stat[1] : ps(pid, 'ppid'))
  return Number.isSafeInteger(ppid) && ppid > 0 ? ppid : null
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  while (isAlive(pid)) {
    if (Date.now() >= until) return false
    await sleep(100)
  }
  return true
}

/**
 * Stops a postmaster we are not the parent of: fast shutdown (SIGINT: clients cut,
 * everything committed kept), then immediate shutdown (SIGQUIT: crash recovery at the
 * next start, nothing committed lost), then SIGKILL as a last resort.
 */
export async function stopPostmaster(pid: number, opts: { fastMs?: number } = {}): Promise<'fast' | 'immediate' | 'killed'> {
  const steps = [
    ['SIGINT', opts.fastMs ?? 15_000, 'fast'],
    ['SIGQUIT', 5_000, 'immediate'],
    ['SIGKILL', 5_000, 'killed'],
  ] as const
  for (const [signal, ms, how] of steps) {
    try {
      process.kill(pid, signal)
    } catch {
      return how
    }
    if (await waitForExit(pid, ms)) return how
  }
  throw new EmbeddedPostgresError(`PostgreSQL (processus ${pid}) ne s'arrête pas, même après SIGKILL.`)
}

/**
 * Before starting the cluster of `databaseDir`: a postmaster still holding it is either
 * the live server of another process of ours (refused, in French), or an orphan left by
 * a process killed hard — stopped cleanly, so this start goes on. A `postmaster.pid`
 * naming a pid that is no postgres any more (reused after a reboot) is removed.
 */
export async function releaseOrphanPostmaster(databaseDir: string, log: (m: string) => void): Promise<void> {
  const lock = readPostmasterPid(databaseDir)
  if (!lock || !isAlive(lock.pid)) return // Postgres itself discards a lock file whose pid is gone.
  const command = commandOf(lock.pid)
  if (command !== null && !/postgres/.test(command)) {
    fs.rmSync(path.join(databaseDir, 'postmaster.pid'), { force: true })
    return
  }
  const parent = parentOf(lock.pid)
  const parentCommand = parent && parent !== 1 && isAlive(parent) ? commandOf(parent) : null
  // Its parent is a live Node process: another start of the app, a CLI or a test run uses it.
  if (parentCommand && /(^|\/)node(\s|$)/.test(parentCommand.split(' ')[0] + ' ')) {
    throw new EmbeddedPostgresError(
      `PostgreSQL embarqué (${databaseDir}) est déjà utilisé par un autre processus d'Alforis (processus ${parent}).\nQue faire : arrêtez-le avant d'en démarrer un autre, ou donnez un autre dossier avec ALFORIS_DATA_DIR.`,
    )
  }
  log(`PostgreSQL embarqué d'un démarrage précédent (processus ${lock.pid}) tourne encore sur ${databaseDir} : arrêt propre…`)
  const how = await stopPostmaster(lock.pid)
  log(`ancien PostgreSQL arrêté (${how === 'fast' ? 'arrêt rapide' : how === 'immediate' ? 'arrêt immédiat, récupération au démarrage' : 'tué'})`)
}

/**
 * A tiny shell process that stops the postmaster (SIGINT, then SIGQUIT after 30 s) when
 * this Node process dies without stopping it: it waits on a pipe whose only writer is
 * us, and the kernel closes that pipe when we die, however we die. In its own session,
 * so a Ctrl+C to the terminal's group leaves it to us. Not on Windows (no sh).
 * ALFORIS_PG_WATCHDOG=off disables it (the crash tests use that to leave an orphan).
 */
export function watchPostmaster(pid: number): ChildProcess | null {
  if (process.platform === 'win32' || process.env.ALFORIS_PG_WATCHDOG === 'off') return null
  const script = [
    'read line',
    'kill -INT "$1" 2>/dev/null || exit 0',
    'i=0',
    'while kill -0 "$1" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done',
    'kill -0 "$1" 2>/dev/null && kill -QUIT "$1" 2>/dev/null',
    'exit 0',
  ].join('\n')
  try {
    const child = spawn('/bin/sh', ['-c', script, 'alforis-pg-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true })
    child.on('error', () => {})
    child.stdin?.on('error', () => {})
    child.unref()
    ;(child.stdin as unknown as net.Socket | null)?.unref?.()
    return child
  } catch {
    return null
  }
}
