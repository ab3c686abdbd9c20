import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely'
import { readCsv } from '../../domain/crm/import/csv'
import type { ImportReport, Mapping } from '../../domain/crm/import/import.commands'
import { guessMapping, TARGETS, type ImportEntity } from '../../domain/crm/import/import-targets'
import type { Problem } from '../../domain/shared/errors'
import type { CommandContext } from '../../domain/shared/events'
import { translateRecorded } from '../i18n/errors'
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
export type StoredReport = Omit<ImportReport, 'rejected'> & { rejected: { line: number; reason: Problem[] | string }[]; mappingError?: Problem | string }

/** The first `max` rejected rows, their reasons in the reader's language. */
export const rejectedRowsIn = (locale: Locale, report: Pick<StoredReport, 'rejected'>, max: number) =>
  report.rejected.slice(0, max).map((r) => ({ line: r.line, reason: translateRecorded(locale, r.reason) }))

/**
 * Stores the file as analyseImport would, with the guessed mapping and an empty report
 * carrying why it could not be analysed. The next analyseImport (with `importId`) fills it.
 */
export async function storeUnmappedImport(db: Db, ctx: CommandContext, input: { entity: ImportEntity; fileName: string; bytes: Uint8Array; error: Problem }) {
  const table = readCsv(input.bytes)
  const id = randomUUID()
  const report: StoredReport = { total: table.rows.length, valid: 0, toCreate: 0, toUpdate: 0, unchanged: 0, rejected: [], mappingError: input.error }
  await db
    .insertInto('imports')
    .values({
      id,
      workspace_id: ctx.workspaceId,
      user_id: ctx.actorId!,
      entity: input.entity,
      file_name: input.fileName.slice(0, 200),
      file_sha256: createHash('sha256').update(input.bytes).digest('hex'),
      content: new TextDecoder(table.encoding).decode(input.bytes),
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
  const table = readCsv(new TextEncoder().encode(head))
  return { headers: table.headers, sample: table.rows.slice(0, sampleRows), delimiter: table.delimiter }
}

/**
 * The file's encoding, told from the stored (decoded) text and the original bytes' hash:
 * if the text re-encoded as UTF-8 (with or without BOM) gives the same bytes, it was UTF-8.
 */
export function detectedEncoding(content: string, sha256: string): 'UTF-8' | 'Windows-1252' {
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
