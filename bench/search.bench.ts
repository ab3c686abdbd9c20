import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { CompiledQuery, type Compilable } from 'kysely'
import type { Auth } from '../app/utils/auth.server.js'
import { boardCards, boardColumnQuery, boardTotals, boardTotalsQuery, closedSince } from '../app/utils/pipeline.server.js'
import { contactsQuery, dealsQuery, fuzzyQuery, organisationsQuery, searchAll } from '../app/utils/search.server.js'
import { startEmbeddedPostgres } from '../db/embedded-postgres.js'
import { createDb, type Db } from '../db/kysely.js'
import { migrateToLatest } from '../db/migrate.js'
import { insertMany } from '../seed/bulk-insert.js'
import { mulberry32 } from '../seed/prng.js'
import { BRAND_PREFIXES, BRAND_SUFFIXES, FIRST_NAMES, SURNAMES } from '../seed/french-names.js'
import { DEAL_TITLES } from '../seed/catalogue.js'
import { withLuhnDigit } from '../domain/crm/french-ids.js'
import { forWorkspace } from '../db/tenant.js'
import { givenWorkspace } from '../testing/fixtures.js'
import type { Role } from '../db/schema.js'

// node --import tsx bench/search.bench.ts [-- --rows 100000 --deals 1000000 --samples 50 --keep DIR]
// A throwaway Postgres with `rows` organisations and contacts and `deals` deals in one
// workspace (plus a second workspace of the same size: tenancy filters must not cost).
// Times the global search (each group, then the three in parallel as /search does) for
// misspelt, unaccented, prefix, SIREN and phone queries, as an admin and as a commercial,
// and the pipeline board's totals and columns; prints each query's EXPLAIN (ANALYZE) plan
// and checks the trigram GIN indexes are used. --keep DIR keeps the cluster there and
// reuses it when its sizes match (loading a million deals takes minutes). The last line
// printed is one JSON object, with the load average it ran under (`loadavg`: the
// machine may be shared).

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    deals: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '30' },
    plans: { type: 'boolean', default: false },
    keep: { type: 'string' },
    queries: { type: 'string' },
  },
})
const ROWS = Number(args.rows)
const DEALS = Number(args.deals)
const SAMPLES = Number(args.samples)
const log = (m: string) => console.log(`[bench] ${m}`)

const STAGES: [string, number][] = [
  ['PROSPECT', 10],
  ['QUALIFICATION', 25],
  ['PROPOSITION', 50],
  ['NEGOCIATION', 75],
  ['SIGNE', 100],
  ['PERDU', 0],
]

async function load(db: Db, workspaceId: string, owners: string[], seed: number) {
  const rnd = mulberry32(seed)
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]
  const now = Date.UTC(2026, 10, 1)
  const orgIds: string[] = []
  const CHUNK = 10_000
  for (let start = 0; start < ROWS; start += CHUNK) {
    const rows = []
    for (let i = start; i < Math.min(ROWS, start + CHUNK); i++) {
      const id = randomUUID()
      orgIds.push(id)
      const name =
        i === 7 ? 'Société Générale' : i === 11 ? 'Bouygues Construction' : `${pick(BRAND_PREFIXES)} ${pick(SURNAMES)} ${pick(BRAND_SUFFIXES)}`.trim()
      rows.push({
        id,
        workspace_id: workspaceId,
        name,
        siren: withLuhnDigit(String(10_000_000 + seed * 1_000_000 + i).slice(-8)),
        siret: null,
        vat_number: null,
        address: null,
        postal_code: null,
        city: 'Lyon',
        sector: null,
        size: null,
        status: 'client',
        owner_id: pick(owners),
        shared: false,
        tags: [],
        notes: null,
        version: 1,
        created_at: new Date(now),
        updated_at: new Date(now),
        deleted_at: null,
      })
    }
    await insertMany(db, 'organisations', rows)
  }
  for (let start = 0; start < ROWS; start += CHUNK) {
    const rows = []
    for (let i = start; i < Math.min(ROWS, start + CHUNK); i++) {
      const [first] = pick(FIRST_NAMES)
      const last = pick(SURNAMES)
      rows.push({
        id: randomUUID(),
        workspace_id: workspaceId,
        civility: null,
        first_name: i === 5 ? 'Hélène' : first,
        last_name: i === 5 ? 'Lefèvre' : last,
        job_title: null,
        emails: [
          `${first}.${last}.${i}@exemple.fr`
            .toLowerCase()
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, ''),
        ],
        phones: [`+336${String(10_000_000 + seed * 1_000_000 + i).slice(-8)}`],
        organisation_id: orgIds[i % orgIds.length],
        owner_id: pick(owners),
        shared: false,
        gdpr_consent: false,
        consent_source: null,
        consent_date: null,
        marketing_opt_out: false,
        version: 1,
        created_at: new Date(now),
        updated_at: new Date(now),
        deleted_at: null,
      })
    }
    await insertMany(db, 'contacts', rows)
  }
  const titles = Object.values(DEAL_TITLES).flat()
  for (let start = 0; start < DEALS; start += CHUNK) {
    const rows = []
    for (let i = start; i < Math.min(DEALS, start + CHUNK); i++) {
      // Most deals are closed, as in a CRM used for years.
      const [stage, probability] = rnd() < 0.8 ? STAGES[4 + Math.floor(rnd() * 2)] : STAGES[Math.floor(rnd() * 4)]
      const at = new Date(now - Math.floor(rnd() * 5 * 365) * 86_400_000)
      rows.push({
        id: randomUUID(),
        workspace_id: workspaceId,
        title: i === 3 ? 'Rénovation du siège social' : `${pick(titles)} ${pick(SURNAMES)}`,
        organisation_id: orgIds[i % orgIds.length],
        amount_cents: 100_000 + Math.floor(rnd() * 10_000_000),
        stage,
        probability,
        expected_close_date: null,
        owner_id: pick(owners),
        category: null,
        source: null,
        region: null,
        lost_reason: stage === 'PERDU' ? 'Prix' : null,
        shared: false,
        contact_ids: [],
        closed_at: probability === 100 || probability === 0 ? at : null,
        stage_changed_at: at,
        version: 1,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      })
    }
    await insertMany(db, 'deals', rows)
    if ((start / CHUNK) % 20 === 0) log(`  deals ${start + rows.length}/${DEALS}`)
  }
}

function authFor(db: Db, w: { workspaceId: string; teamId: string }, id: string, role: Role): Auth {
  return {
    tenant: forWorkspace(db, w.workspaceId),
    actor: { id, workspaceId: w.workspaceId, role, teamId: role === 'admin' ? null : w.teamId },
    user: { id, workspaceId: w.workspaceId, role, teamId: null, email: '', fullName: '', locale: 'fr', workspaceName: '' },
  } as unknown as Auth
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
async function time(fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn() // warm the plan cache and the buffers
  const ms: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now()
    await fn()
    ms.push(performance.now() - t)
  }
  return { p50: Math.round(pct(ms, 50) * 10) / 10, p95: Math.round(pct(ms, 95) * 10) / 10 }
}

async function explain(db: Db, q: Compilable) {
  const c = q.compile()
  const r = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers, costs off) ${c.sql}`, [...c.parameters]))
  return r.rows.map((x) => x['QUERY PLAN']).join('\n')
}

async function main() {
  const dir = args.keep ? path.resolve(args.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-search-bench-'))
  fs.mkdirSync(dir, { recursive: true })
  fs.chmodSync(dir, 0o755)
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), { ephemeral: true })
  const { db } = createDb(pg.url)
  try {
    await migrateToLatest(db)
    type W = { workspaceId: string; teamId: string; users: { admin: string; commercial: string; manager: string } }
    const marker = path.join(dir, 'bench.json')
    const kept = fs.existsSync(marker) ? (JSON.parse(fs.readFileSync(marker, 'utf8')) as { rows: number; deals: number; a: W; b: W }) : null
    let a: W
    if (kept && kept.rows === ROWS && kept.deals === DEALS) {
      a = kept.a
      log(`jeu de données réutilisé (${dir})`)
    } else {
      if (kept) throw new Error(`${dir} contient un autre jeu (${kept.rows}/${kept.deals}) : supprimez-le`)
      a = await givenWorkspace(db, 'Bench A')
      const b = await givenWorkspace(db, 'Bench B')
      const t0 = performance.now()
      log(`chargement : ${ROWS} organisations et contacts, ${DEALS} affaires, ×2 espaces…`)
      await load(db, a.workspaceId, [a.users.commercial, a.users.manager, a.users.admin], 1)
      await load(db, b.workspaceId, [b.users.commercial, b.users.admin], 2)
      await db.executeQuery(CompiledQuery.raw('vacuum analyze'))
      log(`chargé en ${Math.round((performance.now() - t0) / 1000)} s`)
      if (args.keep) fs.writeFileSync(marker, JSON.stringify({ rows: ROWS, deals: DEALS, a, b }))
    }

    const admin = authFor(db, a, a.users.admin, 'admin')
    const rep = authFor(db, a, a.users.commercial, 'commercial')
    // i = 5 and 7 of workspace A (seed 1): a contact's phone, Société Générale's SIREN.
    const queries = args.queries?.split(',') ?? [
      'Societe Generale',
      'Bouyges',
      'renovaton siege',
      'helene lefevre',
      'Lefevre Helene',
      'maintenance',
      'bou',
      'bo',
      'zq',
      'xylophonique',
      '06 11 00 00 05',
      withLuhnDigit('11000007'),
    ]
    const results: Record<string, unknown> = {}
    const plans: string[] = []
    for (const [who, auth] of [
      ['admin', admin],
      ['commercial', rep],
    ] as const) {
      for (const q of queries) {
        const hits = await searchAll(auth, q, 20)
        const all = await time(() => searchAll(auth, q, 20))
        // The word correction runs once per search, then the three groups (timed alone below).
        const fuzzy = await fuzzyQuery(auth, q)
        const correction = await time(() => fuzzyQuery(auth, q))
        const groups = {
          correction,
          organisations: await time(() => organisationsQuery(auth, q, 20, fuzzy).execute()),
          contacts: await time(() => contactsQuery(auth, q, 20, fuzzy).execute()),
          deals: await time(() => dealsQuery(auth, q, 20, fuzzy).execute()),
        }
        results[`search ${who} "${q}"`] = {
          all,
          ...groups,
          hits: [hits.organisations.length, hits.contacts.length, hits.deals.length],
          first: hits.organisations[0]?.name ?? hits.contacts[0]?.last_name ?? hits.deals[0]?.title ?? null,
        }
        log(
          `search ${who} "${q}": ${all.p50} ms p50, ${all.p95} ms p95 (correction ${groups.correction.p50}, orgs ${groups.organisations.p50}, contacts ${groups.contacts.p50}, deals ${groups.deals.p50}) → ${hits.organisations.length}/${hits.contacts.length}/${hits.deals.length}`,
        )
        if (who === 'admin') {
          for (const [name, qb] of [
            ['organisations', organisationsQuery(auth, q, 20, fuzzy)],
            ['contacts', contactsQuery(auth, q, 20, fuzzy)],
            ['deals', dealsQuery(auth, q, 20, fuzzy)],
          ] as const) {
            const plan = await explain(db, qb)
            plans.push(`--- ${name} "${q}"\n${plan}`)
            const usesIndex =
              /Bitmap Index Scan on (organisations_name_trgm|contacts_name_trgm|deals_title_trgm|organisations_fts|contacts_fts|deals_fts|contacts_phones_idx|contacts_emails_idx|organisations_ws_siren_idx)|Index Scan using organisations_ws_siren_idx/.test(
                plan,
              )
            if (!usesIndex) log(`  ⚠ ${name} "${q}" sans index trigram :\n${plan}`)
          }
        }
      }
    }
    // The board as /pipeline loads it: totals (open stages, closed ones over the period) and six columns.
    const stages = STAGES.map(([code, probability], i) => ({
      code,
      label: code,
      position: i,
      probability,
      kind: (code === 'SIGNE' ? 'won' : code === 'PERDU' ? 'lost' : 'open') as 'open' | 'won' | 'lost',
    }))
    for (const period of ['90', 'tout'] as const) {
      const f = { owner: '', team: '', period }
      for (const [who, auth] of [
        ['admin', admin],
        ['commercial', rep],
      ] as const) {
        results[`board totals ${who} clos=${period}`] = await time(() => boardTotals(auth, stages, f))
        results[`board columns ${who} clos=${period}`] = await time(() => boardCards(auth, stages, f))
        log(
          `board ${who} clos=${period}: totals ${JSON.stringify(results[`board totals ${who} clos=${period}`])}, 6 columns ${JSON.stringify(results[`board columns ${who} clos=${period}`])}`,
        )
      }
    }
    const f90 = { owner: '', team: '', period: '90' as const }
    plans.push(
      `--- board totals admin, open stages\n${await explain(
        db,
        boardTotalsQuery(
          admin,
          STAGES.slice(0, 4).map(([c]) => c),
          f90,
          null,
        ),
      )}`,
    )
    plans.push(`--- board totals admin, closed stages, 90 days\n${await explain(db, boardTotalsQuery(admin, ['SIGNE', 'PERDU'], f90, closedSince(f90)))}`)
    plans.push(`--- board column SIGNE commercial\n${await explain(db, boardColumnQuery(rep, 'SIGNE', f90, 50, closedSince(f90)))}`)
    if (args.plans) console.log(plans.join('\n\n'))
    else console.log(plans.filter((p) => /"Bouyges"|"renovaton siege"|"helene lefevre"|board/.test(p)).join('\n\n'))
    console.log(JSON.stringify({ rows: ROWS, deals: DEALS, samples: SAMPLES, results, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) }))
  } finally {
    await db.destroy()
    await pg.stop()
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
