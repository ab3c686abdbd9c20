import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { Product } from '../../db/schema.js'
import { headerKey, parseCsvText, readCsv } from '../crm/import/csv.js'
import { withoutControls, type TextEncodingName } from '../crm/import/decode-text.js'
import { assertHasRows, type ImportReport, type Mapping, type RejectedRow } from '../crm/import/import.commands.js'
import { DomainError, NotFoundError, problemsOf, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { parseEuros } from '../shared/money.js'
import type { ProductFields } from './product.js'
import { createProductCommand, updateProductCommand } from './product.commands.js'
import { validateProductFields } from './product.decide.js'
import { parseVatRate } from './vat.js'

// CSV import of the catalogue, the same two steps as the CRM import
// (domain/crm/import/import.commands.ts): analyse (dry run, report) → commit (one
// transaction, through the product commands). A row is matched to an active product by
// its code when it has one, else by its name (case and accents folded).

export const PRODUCT_IMPORT_ENTITY = 'products'

export type ProductTargetField = { key: string; label: string; required?: boolean; synonyms: string[] }

export const PRODUCT_TARGETS: ProductTargetField[] = [
  { key: 'code', label: 'Code / référence', synonyms: ['code', 'reference', 'ref', 'sku', 'codearticle', 'refarticle'] },
  {
    key: 'name',
    label: 'Nom / désignation',
    required: true,
    synonyms: ['nom', 'designation', 'libelle', 'produit', 'article', 'prestation', 'name', 'product'],
  },
  { key: 'description', label: 'Description', synonyms: ['description', 'detail', 'details'] },
  { key: 'unit', label: 'Unité', synonyms: ['unite', 'unit', 'unitedevente'] },
  {
    key: 'unit_price',
    label: 'Prix unitaire HT (€)',
    required: true,
    synonyms: ['prixunitaireht', 'prixht', 'puht', 'prix', 'prixunitaire', 'tarif', 'tarifht', 'price', 'unitprice'],
  },
  { key: 'vat_rate', label: 'Taux de TVA (20, 10, 5,5, 2,1 ou 0)', synonyms: ['tva', 'tauxdetva', 'tauxtva', 'vat', 'vatrate'] },
  {
    key: 'vat_exemption',
    label: 'Mention d’exonération (à 0 %)',
    synonyms: ['mention', 'mentiontva', 'exoneration', 'mentiondexoneration', 'motifexoneration'],
  },
  { key: 'category', label: 'Catégorie', synonyms: ['categorie', 'famille', 'category', 'gamme'] },
]

/** Guesses column → field from the headers; each field taken at most once. */
export function guessProductMapping(headers: string[]): Mapping {
  const used = new Set<string>()
  const mapping: Mapping = {}
  headers.forEach((h, i) => {
    const k = headerKey(h)
    const field = PRODUCT_TARGETS.find((f) => !used.has(f.key) && (headerKey(f.key) === k || f.synonyms.includes(k)))
    mapping[String(i)] = field?.key ?? null
    if (field) used.add(field.key)
  })
  return mapping
}

type Planned =
  { kind: 'create'; line: number; fields: ProductFields } | { kind: 'update' | 'unchanged'; line: number; id: string; version: number; fields: ProductFields }

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()

/** Works out, row by row, what the import would do. Reads only; writes nothing. */
async function plan(db: Db, workspaceId: string, rows: string[][], mapping: Mapping): Promise<{ planned: Planned[]; report: ImportReport }> {
  const missing = PRODUCT_TARGETS.filter((f) => f.required && !Object.values(mapping).includes(f.key))
  if (missing.length) throw new ValidationError({ mapping: { code: 'import.mapping.missing', params: { fields: missing.map((f) => f.label).join(', ') } } })
  const existing = await db.selectFrom('products').selectAll().where('workspace_id', '=', workspaceId).where('active', '=', true).execute()
  const byCode = new Map(existing.filter((p) => p.code).map((p) => [fold(p.code!), p]))
  const byName = new Map(existing.map((p) => [fold(p.name), p]))
  const rejected: RejectedRow[] = []
  const planned: Planned[] = []
  const seen = new Map<string, number>()
  const get = (row: string[], key: string) => {
    const col = Object.entries(mapping).find(([, f]) => f === key)?.[0]
    const v = col === undefined ? undefined : row[Number(col)]?.trim()
    return v === '' ? undefined : v
  }

  rows.forEach((row, i) => {
    const line = i + 2
    const name = get(row, 'name')
    const code = get(row, 'code')
    const match: Product | undefined = (code && byCode.get(fold(code))) || (name ? byName.get(fold(name)) : undefined)
    const priceRaw = get(row, 'unit_price')
    const price = priceRaw === undefined ? undefined : parseEuros(priceRaw)
    if (price === null) return void rejected.push({ line, reason: [{ code: 'import.row.price.invalid', params: { value: priceRaw! } }] })
    if (price === undefined && !match) return void rejected.push({ line, reason: ['import.row.price.required'] })
    const vatRaw = get(row, 'vat_rate')
    const vat = vatRaw === undefined ? undefined : parseVatRate(vatRaw)
    if (vat === null) return void rejected.push({ line, reason: [{ code: 'import.row.vat_rate.unknown', params: { value: vatRaw! } }] })
    // Empty or unmapped cells keep what the catalogue already knows (20 % for a new product).
    const input: ProductFields = {
      code: code ?? match?.code ?? null,
      name: name ?? match?.name ?? '',
      description: get(row, 'description') ?? match?.description ?? null,
      unit: get(row, 'unit') ?? match?.unit ?? 'unité',
      unit_price_cents: price ?? match!.unit_price_cents,
      vat_rate: vat ?? ((match?.vat_rate ?? 2000) as ProductFields['vat_rate']),
      vat_exemption: get(row, 'vat_exemption') ?? match?.vat_exemption ?? null,
      category: get(row, 'category') ?? match?.category ?? null,
    }
    let fields: ProductFields
    try {
      fields = validateProductFields(input)
    } catch (e) {
      return void rejected.push({ line, reason: problemsOf(e) })
    }
    const keys = [fields.code ? `code:${fold(fields.code)}` : null, `name:${fold(fields.name)}`].filter((k): k is string => !!k)
    const dup = keys.find((k) => seen.has(k))
    if (dup) return void rejected.push({ line, reason: [{ code: 'import.row.duplicate', params: { line: seen.get(dup)! } }] })
    for (const k of keys) seen.set(k, line)
    // A renamed product must not take the name (or code) of another active one.
    const nameOwner = byName.get(fold(fields.name))
    if (nameOwner && nameOwner.id !== match?.id)
      return void rejected.push({ line, reason: [{ code: 'import.row.product.name_taken', params: { value: nameOwner.name } }] })
    const codeOwner = fields.code ? byCode.get(fold(fields.code)) : undefined
    if (codeOwner && codeOwner.id !== match?.id)
      return void rejected.push({ line, reason: [{ code: 'import.row.product.code_taken', params: { value: codeOwner.code! } }] })
    if (!match) return void planned.push({ kind: 'create', line, fields })
    const same = (Object.keys(fields) as (keyof ProductFields)[]).every((k) => fields[k] === match[k])
    planned.push({ kind: same ? 'unchanged' : 'update', line, id: match.id, version: match.version, fields })
  })
  rejected.sort((a, b) => a.line - b.line)
  const report: ImportReport = {
    total: rows.length,
    valid: planned.length,
    rejected,
    toCreate: planned.filter((p) => p.kind === 'create').length,
    toUpdate: planned.filter((p) => p.kind === 'update').length,
    unchanged: planned.filter((p) => p.kind === 'unchanged').length,
  }
  return { planned, report }
}

const MAX_BYTES = 20 * 1024 * 1024

/**
 * Step 1, the dry run: reads the file, applies the mapping (guessed from the headers
 * when not given) and records a report of what would happen. Changes no product.
 */
export async function analyseProductImport(
  db: Db,
  ctx: CommandContext,
  input: { fileName: string; bytes: Uint8Array; mapping?: Mapping; importId?: string; encoding?: TextEncodingName },
) {
  if (input.bytes.byteLength === 0) throw new ValidationError({ file: 'import.file.empty' })
  if (input.bytes.byteLength > MAX_BYTES) throw new ValidationError({ file: 'import.file.too_large' })
  const table = readCsv(input.bytes)
  assertHasRows(table)
  const mapping = input.mapping ?? guessProductMapping(table.headers)
  const { report } = await plan(db, ctx.workspaceId, table.rows, mapping)
  // A re-analysis reads the stored (UTF-8) copy: the original encoding is carried over.
  report.encoding = input.encoding ?? table.encoding
  const content = table.text
  const id = input.importId ?? randomUUID()
  const row = {
    workspace_id: ctx.workspaceId,
    user_id: ctx.actorId!,
    entity: PRODUCT_IMPORT_ENTITY,
    file_name: withoutControls(input.fileName).slice(0, 200),
    file_sha256: createHash('sha256').update(input.bytes).digest('hex'),
    content,
    mapping,
    status: 'analysed' as const,
    report: report as unknown as Record<string, unknown>,
  }
  await db
    .insertInto('imports')
    .values({ id, ...row })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ mapping, report: row.report })
        .where('imports.workspace_id', '=', ctx.workspaceId)
        .where('imports.status', '=', 'analysed')
        .where('imports.entity', '=', PRODUCT_IMPORT_ENTITY),
    )
    .execute()
  return { importId: id, headers: table.headers, sample: table.rows.slice(0, 3), mapping, report, encoding: table.encoding, delimiter: table.delimiter }
}

/**
 * Step 2, after the user confirmed: applies the valid rows through the product
 * commands, all in ONE transaction — every row lands or none does. Committing twice is
 * refused.
 */
export async function commitProductImport(db: Db, ctx: CommandContext, importId: string): Promise<ImportReport> {
  return db.transaction().execute(async (trx) => {
    const imp = await trx
      .selectFrom('imports')
      .selectAll()
      .where('id', '=', importId)
      .where('workspace_id', '=', ctx.workspaceId)
      .where('entity', '=', PRODUCT_IMPORT_ENTITY)
      .forUpdate()
      .executeTakeFirst()
    if (!imp) throw new NotFoundError('import.not_found')
    if (imp.status === 'committed') throw new DomainError('import.already_committed', undefined, { status: 409 })
    // Serialises catalogue imports of a workspace: two commits at once could both create the same product.
    await sql`select pg_advisory_xact_lock(hashtext(${'import-products:' + ctx.workspaceId}))`.execute(trx)
    const table = parseCsvText(imp.content)
    const { planned, report } = await plan(trx, ctx.workspaceId, table.rows, imp.mapping as Mapping)
    const c = { ...ctx, source: 'import' as const }
    for (const p of planned) {
      if (p.kind === 'unchanged') continue
      try {
        if (p.kind === 'create') await createProductCommand(trx, c, { id: randomUUID(), fields: p.fields })
        else await updateProductCommand(trx, c, { id: p.id, expectedVersion: p.version, fields: p.fields })
      } catch (e) {
        throw new DomainError({ code: 'import.cancelled', params: { line: p.line, reason: problemsOf(e) } })
      }
    }
    report.encoding = (imp.report as { encoding?: TextEncodingName }).encoding
    await trx
      .updateTable('imports')
      .set({ status: 'committed', committed_at: new Date(), report: report as unknown as Record<string, unknown> })
      .where('id', '=', importId)
      .execute()
    return report
  })
}
