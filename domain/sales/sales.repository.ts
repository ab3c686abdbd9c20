import { sql } from 'kysely'
import { tableRepository, type Repository } from '../shared/run-command.js'
import type { Product, Quote } from '../../db/schema.js'
import { PRODUCT_STREAM } from './product.js'
import { QUOTE_STREAM, type QuoteLine, type QuoteState } from './quote.js'
import type { Discount } from './quote-totals.js'

export const productRepository = tableRepository<Product>('products', PRODUCT_STREAM)

// A JS array sent as a parameter would be encoded as a Postgres array: send text, cast.
const jsonb = (v: unknown) => (v === null ? null : sql`cast(cast(${JSON.stringify(v)} as text) as jsonb)`)

/** A quotes row as the domain's state (jsonb columns typed). */
export const toQuoteState = (r: Quote): QuoteState => ({
  ...r,
  lines: (r.lines ?? []) as QuoteLine[],
  global_discount: (r.global_discount ?? null) as Discount | null,
})

export const quoteRepository: Repository<QuoteState> = {
  streamType: QUOTE_STREAM,
  load: (trx, ws, id) =>
    trx
      .selectFrom('quotes')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
      .then((r) => (r ? toQuoteState(r) : null)),
  insert: async (trx, s) => {
    await trx
      .insertInto('quotes')
      .values({ ...s, lines: jsonb(s.lines), global_discount: jsonb(s.global_discount) })
      .execute()
  },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = s
    const r = await trx
      .updateTable('quotes')
      .set({ ...rest, lines: jsonb(s.lines), global_discount: jsonb(s.global_discount) })
      .where('id', '=', id)
      .where('workspace_id', '=', workspace_id)
      .where('version', '=', expected)
      .executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}
