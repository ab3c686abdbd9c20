import iconv from 'iconv-lite'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'

// The Fichier des Écritures Comptables (LPF art. L47 A, format of art. A47 A-1): one line
// per journal line, 18 tab-separated columns in the order of the decree, dates AAAAMMJJ,
// amounts with a decimal comma and no thousands separator, ISO 8859-15 by default. The
// rows come from Postgres through a cursor and are encoded as they come: a year of a
// busy workspace is never held in memory. A self-check runs first (in SQL, over the
// same period) so a file that would fail the administration's tools is not produced.

export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const

export type FecEncoding = 'latin9' | 'utf8'
export type FecPeriod = { start: string; end: string }

/** "2026-06-15" → "20260615". */
export const fecDate = (day: string | null): string => (day ? day.replaceAll('-', '') : '')

/** 123456 → "1234,56"; 5 → "0,05"; never a thousands separator. */
export function fecAmount(cents: number): string {
  const neg = cents < 0
  const a = Math.abs(cents)
  return `${neg ? '-' : ''}${Math.floor(a / 100)},${String(a % 100).padStart(2, '0')}`
}

/** The file's name: SIREN, "FEC", the closing date of the period. */
export const fecFileName = (siren: string, periodEnd: string) => `${siren}FEC${fecDate(periodEnd)}.txt`

// ISO 8859-15 holds œ, Œ, € and Ÿ (not Latin-1): what it lacks is replaced by its nearest
// ASCII rather than dropped or turned into "?", so labels stay readable.
const LATIN9 = new Set(iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'iso-8859-15'))
const NEAREST: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u202f': ' ',
  '\u2009': ' ',
  '\u2022': '-',
  '\u2122': 'TM',
  '\u00bd': '1/2',
  '\u00bc': '1/4',
  '\u00be': '3/4',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
}

/** The text as ISO 8859-15 can carry it: each missing character replaced by its nearest. */
export function transliterateLatin9(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s
  let out = ''
  for (const ch of s) {
    if (LATIN9.has(ch)) out += ch
    else if (NEAREST[ch] !== undefined) out += NEAREST[ch]
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      out += [...base].every((c) => LATIN9.has(c)) && base ? base : '?'
    }
  }
  return out
}

/** A field's text: no tab or line break may split a record. */
const clean = (s: string | null | undefined) => (s ?? '').replace(/[\t\r\n]+/g, ' ').trim()

type Row = {
  journal_code: string
  journal_label: string
  number: number
  entry_date: string
  account: string
  account_label: string
  aux_account: string | null
  aux_label: string | null
  piece_ref: string
  piece_date: string
  label: string
  debit_cents: number
  credit_cents: number
  lettering: string | null
  lettered_on: string | null
  valid_day: string
}

/** One record's 18 fields. */
export function fecFields(r: Row): string[] {
  return [
    r.journal_code,
    r.journal_label,
    String(r.number),
    fecDate(r.entry_date),
    r.account,
    r.account_label,
    r.aux_account ?? '',
    r.aux_label ?? '',
    r.piece_ref,
    fecDate(r.piece_date),
    r.label,
    fecAmount(r.debit_cents),
    fecAmount(r.credit_cents),
    r.lettering ?? '',
    fecDate(r.lettered_on),
    r.valid_day,
    '',
    '',
  ].map(clean)
}

function periodRows(db: Db, workspaceId: string, period: FecPeriod) {
  return db
    .selectFrom('journal_entries as e')
    .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
    .select([
      'e.journal_code',
      'e.journal_label',
      'e.number',
      'e.entry_date',
      'l.account',
      'l.account_label',
      'l.aux_account',
      'l.aux_label',
      'e.piece_ref',
      'e.piece_date',
      'l.label',
      'l.debit_cents',
      'l.credit_cents',
      'l.lettering',
      'l.lettered_on',
      // The day of validation in Paris, computed by Postgres (cheaper than per row in JS).
      sql<string>`to_char(e.validated_at at time zone 'Europe/Paris', 'YYYYMMDD')`.as('valid_day'),
    ])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.entry_date', '>=', period.start)
    .where('e.entry_date', '<=', period.end)
    .orderBy('e.journal_code')
    .orderBy('e.number')
    .orderBy('l.position')
}

/**
 * The FEC's records as encoded chunks: the header, then the period's lines read through a
 * Postgres cursor (`chunkRows` at a time), each batch encoded and handed on before the
 * next is read.
 */
export async function* fecChunks(
  db: Db,
  workspaceId: string,
  period: FecPeriod,
  opts: { encoding?: FecEncoding; chunkRows?: number } = {},
): AsyncGenerator<Uint8Array> {
  const latin9 = (opts.encoding ?? 'latin9') === 'latin9'
  const encode = (s: string): Uint8Array => (latin9 ? iconv.encode(transliterateLatin9(s), 'iso-8859-15') : Buffer.from(s, 'utf8'))
  yield encode(FEC_COLUMNS.join('\t') + '\r\n')
  let batch = ''
  let n = 0
  for await (const r of periodRows(db, workspaceId, period).stream(opts.chunkRows ?? 2000)) {
    batch += fecFields(r).join('\t') + '\r\n'
    if (++n % 2000 === 0) {
      yield encode(batch)
      batch = ''
    }
  }
  if (batch) yield encode(batch)
}

export type FecCheck = {
  ok: boolean
  /** French sentences for the page, at most 20. */
  problems: string[]
  entries: number
  lines: number
  debit_cents: number
  credit_cents: number
}

/**
 * What would make the file wrong, checked in SQL before it is produced: an entry whose
 * debits and credits differ, the whole period out of balance, a gap or a step back in
 * time in a journal's numbers, a mandatory field empty, a lettered line without its date.
 */
export async function checkFec(db: Db, workspaceId: string, period: FecPeriod): Promise<FecCheck> {
  const problems: string[] = []
  const inPeriod = sql`e.workspace_id = ${workspaceId} and e.entry_date >= ${period.start} and e.entry_date <= ${period.end}`
  const totals = await sql<{ entries: number; lines: number; debit: number; credit: number }>`
    select count(distinct e.id)::int as entries, count(l.*)::int as lines,
           coalesce(sum(l.debit_cents), 0)::bigint as debit, coalesce(sum(l.credit_cents), 0)::bigint as credit
    from journal_entries e join journal_lines l on l.entry_id = e.id where ${inPeriod}`.execute(db)
  const t = totals.rows[0]
  const unbalanced = await sql<{ journal_code: string; number: number; debit: number; credit: number }>`
    select e.journal_code, e.number, sum(l.debit_cents)::bigint as debit, sum(l.credit_cents)::bigint as credit
    from journal_entries e left join journal_lines l on l.entry_id = e.id where ${inPeriod}
    group by e.id, e.journal_code, e.number
    having coalesce(sum(l.debit_cents), 0) <> coalesce(sum(l.credit_cents), 0) or count(l.*) < 2
    order by e.journal_code, e.number limit 10`.execute(db)
  for (const u of unbalanced.rows)
    problems.push(
      `Écriture ${u.journal_code} n° ${u.number} déséquilibrée : débit ${fecAmount(Number(u.debit ?? 0))}, crédit ${fecAmount(Number(u.credit ?? 0))}.`,
    )
  if (Number(t.debit) !== Number(t.credit))
    problems.push(`Total des débits (${fecAmount(Number(t.debit))}) différent du total des crédits (${fecAmount(Number(t.credit))}) sur la période.`)
  const sequence = await sql<{ journal_code: string; number: number; prev: number; entry_date: string; prev_date: string }>`
    select * from (
      select e.journal_code, e.number, e.entry_date,
             lag(e.number) over w as prev, lag(e.entry_date) over w as prev_date
      from journal_entries e where ${inPeriod}
      window w as (partition by e.journal_code order by e.number)
    ) s where prev is not null and (number <> prev + 1 or entry_date < prev_date)
    order by journal_code, number limit 10`.execute(db)
  for (const s of sequence.rows)
    problems.push(
      s.number !== s.prev + 1
        ? `Journal ${s.journal_code} : numérotation interrompue entre ${s.prev} et ${s.number}.`
        : `Journal ${s.journal_code} : l’écriture n° ${s.number} est datée avant la n° ${s.prev} (ordre chronologique).`,
    )
  const empty = await sql<{ journal_code: string; number: number; what: string }>`
    select e.journal_code, e.number,
      case when btrim(e.journal_label) = '' then 'JournalLib'
           when btrim(l.account) = '' then 'CompteNum'
           when btrim(l.account_label) = '' then 'CompteLib'
           when btrim(e.piece_ref) = '' then 'PieceRef'
           when btrim(l.label) = '' then 'EcritureLib'
           when l.aux_account is not null and coalesce(btrim(l.aux_label), '') = '' then 'CompAuxLib'
           else 'DateLet' end as what
    from journal_entries e join journal_lines l on l.entry_id = e.id where ${inPeriod}
      and (btrim(e.journal_label) = '' or btrim(l.account) = '' or btrim(l.account_label) = '' or btrim(e.piece_ref) = ''
           or btrim(l.label) = '' or (l.aux_account is not null and coalesce(btrim(l.aux_label), '') = '')
           or (l.lettering is not null and l.lettered_on is null))
    order by e.journal_code, e.number limit 10`.execute(db)
  for (const m of empty.rows) problems.push(`Écriture ${m.journal_code} n° ${m.number} : champ obligatoire ${m.what} vide.`)
  return {
    ok: problems.length === 0,
    problems: problems.slice(0, 20),
    entries: t.entries,
    lines: t.lines,
    debit_cents: Number(t.debit),
    credit_cents: Number(t.credit),
  }
}
