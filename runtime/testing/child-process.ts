import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { isAlive, readPostmasterPid, stopPostmaster } from '../../db/postmaster.js'

// Child processes for the crash and shutdown tests: started with tsx (no build), read
// line by line, killed however the test likes, and always cleaned up — the process, a
// postmaster it may have left on its data directory, the directory itself.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type Child = {
  proc: ChildProcess
  /** stdout lines so far. */
  lines: string[]
  output: () => string
  /** Resolves with the first stdout line matching `re` (rejects if the process ends first, or after `ms`). */
  waitFor: (re: RegExp, ms?: number) => Promise<string>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children = new Set<ChildProcess>()

export function startChild(entry: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(proc)
  const lines: string[] = []
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    const parts = stdout.split('\n')
    stdout = parts.pop()!
    lines.push(...parts)
    for (const l of listeners) l()
  })
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      children.delete(proc)
      for (const l of listeners) l()
      resolve({ code, signal })
    }),
  )
  const output = () => `${lines.join('\n')}\n${stderr}`
  const waitFor = (re: RegExp, ms = 90_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = lines.find((l) => re.test(l))
        if (hit !== undefined) return done(() => resolve(hit))
        if (proc.exitCode !== null || proc.signalCode !== null) done(() => reject(new Error(`le processus s'est terminé avant ${re} :\n${output()}`)))
      }
      const timer = setTimeout(() => done(() => reject(new Error(`${re} attendu depuis ${ms} ms :\n${output()}`))), ms)
      const done = (fn: () => void) => {
        clearTimeout(timer)
        listeners.delete(check)
        fn()
      }
      listeners.add(check)
      check()
    })
  return { proc, lines, output, waitFor, exited }
}

/** A fresh directory for one child's data (pg/, ch/). */
export const tempDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-crash-'))

/** The postmaster still running on `dataDir`, if any. */
export function livePostmaster(dataDir: string): number | null {
  const lock = readPostmasterPid(path.join(dataDir, 'pg'))
  return lock && isAlive(lock.pid) ? lock.pid : null
}

/** Kills every child still running and stops any postmaster left on `dirs`, then removes them. */
export async function cleanUp(dirs: string[]): Promise<void> {
  for (const c of children) c.kill('SIGKILL')
  children.clear()
  for (const dir of dirs) {
    const pid = livePostmaster(dir)
    if (pid) await stopPostmaster(pid, { fastMs: 5_000 }).catch(() => {})
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
