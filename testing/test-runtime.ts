import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { inject } from 'vitest'
import { startRuntime, type Runtime, type RuntimeOptions } from '../runtime/runtime.js'
import { testNow } from './clock.js'

/** A fresh, migrated database cloned from the run's template; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name} template alforis_template`)
  await admin.end()
  return adminUrl.replace(/\/postgres$/, `/${name}`)
}

/**
 * The real runtime over an isolated database and a throwaway chDB directory.
 * One per test file (chDB allows one data dir per process). Its clock is the tests' one
 * (testing/clock.ts) unless `now` is given.
 *
 * @example const rt = await startTestRuntime(); afterAll(() => rt.stop())
 */
export async function startTestRuntime(opts: Omit<RuntimeOptions, 'databaseUrl' | 'dataDir'> = {}): Promise<Runtime & { dataDir: string }> {
  const databaseUrl = await createTestDatabase()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-rt-'))
  const rt = await startRuntime({ log: () => {}, now: testNow, ...opts, databaseUrl, dataDir, ephemeral: true })
  return {
    ...rt,
    dataDir,
    async stop() {
      await rt.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
