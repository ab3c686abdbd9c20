import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startEmbeddedPostgres } from '../db/embedded-postgres.js'
import { createDb } from '../db/kysely.js'
import { migrateToLatest } from '../db/migrate.js'
import { checkFec, fecChunks } from '../domain/accounting/fec.js'
import { givenWorkspace } from '../testing/fixtures.js'

// npm run bench:fec [-- --entries 200000]
// A throwaway Postgres: `--entries` sales entries of 5 lines each (411 / 706 / 707 /
// 445712 / 445711, ≈ 1M lines) inserted with generate_series over a year, then the
// self-check and the FEC streamed to a file in ISO 8859-15, as the download route does.
// The last line printed is one JSON object: seconds (check + file), peak_rss_mb.

const { values: args } = parseArgs({ options: { entries: { type: 'string', default: '200000' } } })
const N = Number(args.entries)
const log = (m: string) => console.log(`[bench] ${m}`)

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-bench-fec-'))
  fs.chmodSync(dir, 0o755)
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), { ephemeral: true })
  const { db } = createDb(pg.url, { max: 4 })
  try {
    await migrateToLatest(db)
    const w = await givenWorkspace(db, 'Banc FEC')
    const ws = w.workspaceId
    let t0 = performance.now()
    await sql`insert into journal_entries (id, workspace_id, journal_code, journal_label, number, entry_date, piece_ref, piece_date, label, source_kind, source_id, validated_at)
      select gen_random_uuid(), ${ws}::uuid, 'VT', 'Ventes', g, date '2025-01-01' + (g::bigint * 364 / ${N})::int,
             'F-' || lpad(g::text, 7, '0'), date '2025-01-01' + (g::bigint * 364 / ${N})::int,
             'Facture F-' || lpad(g::text, 7, '0') || ' Société n° ' || (g % 5000) || ' – œuvre',
             'manual', g::text, timestamptz '2025-01-01 09:00+01' + (g::bigint * 364 / ${N}) * interval '1 day'
      from generate_series(1, ${N}) g`.execute(db)
    await sql`insert into journal_lines (entry_id, workspace_id, position, account, account_label, aux_account, aux_label, label, debit_cents, credit_cents, match_ref)
      select e.id, e.workspace_id, k,
        (array['411', '706', '707', '445712', '445711'])[k],
        (array['Clients', 'Prestations de services', 'Ventes de marchandises', 'TVA collectée 20 %', 'TVA collectée 10 %'])[k],
        case when k = 1 then 'C' || lpad((e.number % 5000)::text, 5, '0') end,
        case when k = 1 then 'Société n° ' || (e.number % 5000) end,
        e.label,
        case when k = 1 then a.ht1 + a.ht2 + a.ht1 / 5 + a.ht2 / 10 else 0 end,
        case k when 2 then a.ht1 when 3 then a.ht2 when 4 then a.ht1 / 5 when 5 then a.ht2 / 10 else 0 end,
        case when k = 1 then e.piece_ref end
      from journal_entries e
      cross join lateral (select 10000 + (e.number * 37 % 90000) * 10 as ht1, 5000 + (e.number * 53 % 40000) * 10 as ht2) a
      cross join generate_series(1, 5) k
      where e.workspace_id = ${ws}::uuid`.execute(db)
    await sql`insert into journal_counters values (${ws}::uuid, 'VT', ${N})`.execute(db)
    await sql`analyze journal_entries`.execute(db)
    await sql`analyze journal_lines`.execute(db)
    log(`inserted ${N} entries / ${N * 5} lines in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const period = { start: '2025-01-01', end: '2025-12-31' }
    const rssBefore = process.resourceUsage().maxRSS / 1024
    t0 = performance.now()
    const check = await checkFec(db, ws, period)
    const checkSeconds = (performance.now() - t0) / 1000
    log(`self-check: ok=${check.ok}, ${check.entries} entries, ${check.lines} lines in ${checkSeconds.toFixed(1)} s`)
    const file = path.join(dir, '732829320FEC20251231.txt')
    const t1 = performance.now()
    await pipeline(Readable.from(fecChunks(db, ws, period)), fs.createWriteStream(file) as Writable)
    const fileSeconds = (performance.now() - t1) / 1000
    const bytes = fs.statSync(file).size
    log(`file: ${(bytes / 1024 / 1024).toFixed(1)} MB in ${fileSeconds.toFixed(1)} s`)
    console.log(
      JSON.stringify({
        entries: N,
        lines: check.lines,
        check_ok: check.ok,
        check_seconds: +checkSeconds.toFixed(2),
        file_seconds: +fileSeconds.toFixed(2),
        seconds: +(checkSeconds + fileSeconds).toFixed(2),
        file_mb: +(bytes / 1024 / 1024).toFixed(1),
        rss_before_export_mb: Math.round(rssBefore),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        loadavg: os.loadavg().map((l) => +l.toFixed(2)),
      }),
    )
  } finally {
    await db.destroy()
    await pg.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
