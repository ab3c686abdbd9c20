import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { Product, QuoteVersion } from '../../db/schema.js'
import { NotFoundError } from '../shared/errors.js'
import type { QuoteLine, QuoteState } from './quote.js'
import { snapshotSha256, type QuoteSnapshot } from './quote-snapshot.js'
import { toQuoteState } from './sales.repository.js'

// Reads for pages, the PDF and the e-signature (no locks, no events).

/** Products of the catalogue, active ones by default, by category then name; `q` searches names and codes (accents folded). */
export async function listProducts(
  db: Db,
  workspaceId: string,
  opts: { q?: string; category?: string; includeArchived?: boolean; limit?: number } = {},
): Promise<Product[]> {
  let query = db.selectFrom('products').selectAll().where('workspace_id', '=', workspaceId)
  if (!opts.includeArchived) query = query.where('active', '=', true)
  if (opts.category) query = query.where('category', '=', opts.category)
  const q = opts.q?.trim()
  if (q) {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
    query = query.where((eb) => eb.or([eb(sql`f_unaccent(lower(name))`, 'like', sql`f_unaccent(${like})`), eb(sql`lower(coalesce(code, ''))`, 'like', like)]))
  }
  return query
    .orderBy('active', 'desc')
    .orderBy(sql`category nulls last`)
    .orderBy('name')
    .limit(opts.limit ?? 500)
    .execute()
}

/** A product as a new quote line (a copy: later catalogue changes leave the quote alone). */
export function lineFromProduct(
  p: Pick<Product, 'id' | 'code' | 'name' | 'description' | 'unit' | 'unit_price_cents' | 'vat_rate' | 'vat_exemption'>,
  quantity = '1',
): QuoteLine {
  return {
    product_id: p.id,
    code: p.code,
    description: p.description ? `${p.name}\n${p.description}` : p.name,
    unit: p.unit,
    quantity,
    unit_price_cents: p.unit_price_cents,
    discount: null,
    vat_rate: p.vat_rate as QuoteLine['vat_rate'],
    vat_exemption: p.vat_exemption,
  }
}

export async function getQuote(db: Db, workspaceId: string, id: string): Promise<QuoteState> {
  const row = await db.selectFrom('quotes').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  if (!row) throw new NotFoundError('quote.not_found')
  return toQuoteState(row)
}

/** The sent versions of a quote, oldest first (each readable as sent, forever). */
export function listQuoteVersions(db: Db, workspaceId: string, quoteId: string): Promise<QuoteVersion[]> {
  return db.selectFrom('quote_versions').selectAll().where('workspace_id', '=', workspaceId).where('quote_id', '=', quoteId).orderBy('revision').execute()
}

export async function getQuoteVersion(db: Db, workspaceId: string, quoteId: string, revision: number): Promise<QuoteVersion & { snapshot: QuoteSnapshot }> {
  const row = await db
    .selectFrom('quote_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('quote_id', '=', quoteId)
    .where('revision', '=', revision)
    .executeTakeFirst()
  if (!row) throw new NotFoundError('quote_version.not_found')
  return row as QuoteVersion & { snapshot: QuoteSnapshot }
}

/** True when a stored version still hashes to its recorded SHA-256 (the PDF footer and the signature proof quote it). */
export const verifyQuoteVersion = (v: Pick<QuoteVersion, 'snapshot' | 'sha256'>) => snapshotSha256(v.snapshot) === v.sha256
