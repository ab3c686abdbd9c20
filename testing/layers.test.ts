import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// The layer rules (.dependency-cruiser.cjs) run first in `npm test`. These cases prove
// they bite: a miniature repository with one wrong-way import fails the same command.

const root = path.resolve(import.meta.dirname, '..')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function cruise(files: Record<string, string>): { ok: boolean; out: string } {
  const dir = fs.mkdtempSync(path.join(tmp, 'repo-'))
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', baseUrl: '.', paths: { '~/*': ['./app/*'] } } }),
  )
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), text)
  }
  const bin = path.join(root, 'node_modules/.bin/depcruise')
  try {
    const out = execFileSync(
      bin,
      ['--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'err', ...Object.keys(files).map((f) => f.split('/')[0])],
      { cwd: dir, encoding: 'utf8', stdio: 'pipe' },
    )
    return { ok: true, out }
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string }
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }
  }
}

describe('layer rules', () => {
  it('accept imports that point down: app → domain → db', () => {
    const r = cruise({
      'db/kysely.ts': 'export const db = 1\n',
      'domain/deal.ts': "import { db } from '../db/kysely.js'\nexport const deal = db\n",
      'app/page.ts': "import { deal } from '../domain/deal.js'\nexport const page = deal\n",
    })
    expect(r.out).toContain('no dependency violations')
    expect(r.ok).toBe(true)
  })

  it('refuse db/ importing the web layer', () => {
    const r = cruise({
      'app/page.ts': 'export const page = 1\n',
      'db/kysely.ts': "import { page } from '../app/page.js'\nexport const db = page\n",
    })
    expect(r.ok).toBe(false)
    expect(r.out).toContain('db-is-the-floor')
  })

  it('refuse the domain reaching up to jobs, and product code importing a test helper', () => {
    const r = cruise({
      'jobs/boss.ts': 'export const boss = 1\n',
      'testing/fixtures.ts': 'export const given = 1\n',
      'domain/deal.ts': "import { boss } from '../jobs/boss.js'\nimport { given } from '../testing/fixtures.js'\nexport const deal = boss + given\n",
    })
    expect(r.ok).toBe(false)
    expect(r.out).toContain('domain-below-its-consumers')
    expect(r.out).toContain('tests-stay-out-of-the-product')
  })

  it('let the web layer name the runtime type, never start it', () => {
    const typeOnly = cruise({
      'runtime/runtime.ts': 'export type Runtime = { db: number }\nexport const startRuntime = () => 1\n',
      'app/page.ts': "import type { Runtime } from '../runtime/runtime.js'\nexport const page = (rt: Runtime) => rt.db\n",
    })
    expect(typeOnly.ok).toBe(true)
    const value = cruise({
      'runtime/runtime.ts': 'export type Runtime = { db: number }\nexport const startRuntime = () => 1\n',
      'app/page.ts': "import { startRuntime } from '../runtime/runtime.js'\nexport const page = startRuntime()\n",
    })
    expect(value.ok).toBe(false)
    expect(value.out).toContain('app-gets-the-runtime-by-context')
  })
})
