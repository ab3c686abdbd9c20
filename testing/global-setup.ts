import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../db/embedded-postgres.js'
import { createDb } from '../db/kysely.js'
import { migrateToLatest } from '../db/migrate.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
  }
}

// One throwaway PostgreSQL cluster for the whole run; a migrated template database
// that each test file clones (CREATE DATABASE … TEMPLATE) for isolation.
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-test-'))
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), { ephemeral: true })
  const admin = createDb(pg.url.replace(/\/alforis$/, '/postgres'), { max: 1 })
  await admin.sql.unsafe('create database alforis_template')
  await admin.sql.end()
  const tpl = createDb(pg.url.replace(/\/alforis$/, '/alforis_template'), { max: 1 })
  await migrateToLatest(tpl.db)
  await tpl.db.destroy()
  project.provide('pgAdminUrl', pg.url.replace(/\/alforis$/, '/postgres'))
  return async () => {
    await pg.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
