import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely'
import { parseCsvText, readCsv } from '../../domain/crm/import/csv'
import { ENCODING_LABELS, withoutControls, type TextEncodingName } from '../../domain/crm/import/decode-text'
import type { ImportReport, Mapping } from '../../domain/crm/import/import.commands'
import { guessMapping, TARGETS, type ImportEntity } from '../../domain/crm/import/import-targets'
import type { Problem } from '../../domain/shared/errors'
import type { CommandContext } from '../../domain/shared/events'
import { translateRecorded } from '../i18n/errors'
import { csvText } from './list-export.server'
import type { Locale } from '../i18n/i18n'

// The import screens' glue around domain/crm/import: who may import, what the mapping
// form shows, and keeping a file whose headers name no required field, so the user can
// map its columns by hand instead of uploading it again.

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024
export const IMPORT_ENTITIES = ['organisations', 'contacts'] as const satisfies readonly ImportEntity[]
export const isImportEntity = (v: unknown): v is ImportEntity => typeof v === 'string' && (IMPORT_ENTITIES as readonly string[]).includes(v)

/** Imports write many records at once: admins and managers. */
export { canImport } from '../../domain/identity/roles'

/** A report with no row analysed yet, for a file waiting for its mapping. */
/** A report as stored: reasons are codes (rows written before codes hold French text). */
export type StoredReport = Omit<ImportReport, 'rejected' | 'corrected'> & {
  rejected: { line: number; reason: Problem[] | string }[]
  corrected?: { line: number; reason: Problem[] | string }[]
  mappingError?: Problem | string
}

/** The first `max` rejected rows, their reasons in the reader's language. */
export const rejectedRowsIn = (locale: Locale, report: Pick<StoredReport, 'rejected'>, max: number) =>
  report.rejected.slice(0, max).map((r) => ({ line: r.line, reason: translateRecorded(locale, r.reason) }))

/** The first `max` rows imported with a repair (a padded postal code), in the reader's language. */
export const correctedRowsIn = (locale: Locale, report: Pick<StoredReport, 'corrected'>, max: number) =>
  (report.corrected ?? []).slice(0, max).map((r) => ({ line: r.line, reason: translateRecorded(locale, r.reason) }))

/**
 * The rejected rows as a CSV to fix and import again: the file's own columns, as they
 * were, plus the reason. Same CSV dialect and formula-injection guard as the list exports.
 */
export function rejectedRowsCsv(locale: Locale, content: string, report: Pick<StoredReport, 'rejected'>): string {
  const { headers, rows } = parseCsvText(content)
  const reasonHeader = locale === 'en' ? 'Reason for rejection' : 'Motif du rejet'
  const line = (cells: string[]) => `${cells.map(csvText).join(';')}\r\n`
  let out = `\uFEFF${line([...headers, reasonHeader])}`
  for (const r of report.rejected) {
    // Line numbers count the header as line 1 (analyseImport's numbering).
    const row = rows[r.line - 2] ?? []
    const cells = headers.map((_, i) => row[i] ?? '')
    out += line([...cells, translateRecorded(locale, r.reason)])
  }
  return out
}

/** The rejected rows' CSV as a download named after the imported file. */
export function rejectedRowsDownload(fileName: string, csv: string): Response {
  const base =
    fileName
      .replace(/\.[^.]*$/, '')
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 80) || 'import'
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${base}-rejets.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}

/**
 * Stores the file as analyseImport would, with the guessed mapping and an empty report
 * carrying why it could not be analysed. The next analyseImport (with `importId`) fills it.
 */
export async function storeUnmappedImport(db: Db, ctx: CommandContext, input: { entity: ImportEntity; fileName: string; bytes: Uint8Array; error: Problem }) {
  const table = readCsv(input.bytes)
  const id = randomUUID()
  const report: StoredReport = {
    total: table.rows.length,
    valid: 0,
    toCreate: 0,
    toUpdate: 0,
    unchanged: 0,
    rejected: [],
    mappingError: input.error,
    encoding: table.encoding,
  }
  await db
    .insertInto('imports')
    .values({
      id,
      workspace_id: ctx.workspaceId,
      user_id: ctx.actorId!,
      entity: input.entity,
      file_name: withoutControls(input.fileName).slice(0, 200),
      file_sha256: createHash('sha256').update(input.bytes).digest('hex'),
      content: table.text,
      mapping: guessMapping(input.entity, table.headers),
      status: 'analysed',
      report: report as unknown as Record<string, unknown>,
    })
    .execute()
  return id
}

/**
 * Headers, a few sample rows and the separator, read from the start of the stored text
 * only (a 20 MB file is not parsed again to show three rows).
 */
export function importPreview(content: string, sampleRows = 3) {
  let head = content.slice(0, 64 * 1024)
  if (head.length < content.length) head = head.slice(0, Math.max(head.lastIndexOf('\n'), 0))
  let table: ReturnType<typeof parseCsvText>
  try {
    table = parseCsvText(head)
  } catch {
    // The cut fell inside a quoted multi-line cell: read it all (it parsed at upload).
    table = parseCsvText(content)
  }
  return { headers: table.headers, sample: table.rows.slice(0, sampleRows), delimiter: table.delimiter }
}

/**
 * The file's encoding as analyseImport recorded it; for imports recorded before it did,
 * told from the stored text and the original bytes' hash (UTF-8 if they match).
 */
export function detectedEncoding(content: string, sha256: string, recorded?: TextEncodingName): string {
  if (recorded && recorded in ENCODING_LABELS) return ENCODING_LABELS[recorded]
  const utf8 = Buffer.from(content, 'utf8')
  const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex')
  if (hash(utf8) === sha256 || hash(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])) === sha256) return 'UTF-8'
  return 'Windows-1252'
}

/** The mapping posted by the form (`col_0`, `col_1`…), only known fields; errors for a field chosen twice. */
export function readMapping(form: FormData, entity: ImportEntity, columns: number): { mapping: Mapping; error: string | null } {
  const known = new Set(TARGETS[entity].map((f) => f.key))
  const mapping: Mapping = {}
  const seen = new Map<string, number>()
  let error: string | null = null
  for (let i = 0; i < columns; i++) {
    const v = form.get(`col_${i}`)
    const field = typeof v === 'string' && known.has(v) ? v : null
    mapping[String(i)] = field
    if (!field) continue
    if (seen.has(field) && !error) {
      const label = TARGETS[entity].find((f) => f.key === field)!.label
      error = `Le champ « ${label} » est associé à deux colonnes (${seen.get(field)! + 1} et ${i + 1}) : gardez-en une seule.`
    }
    seen.set(field, i)
  }
  return { mapping, error }
}
