import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'

export type DocumentKind = 'quote' | 'invoice' | 'credit_note'

/**
 * The next number of a document kind for a workspace and year (1, 2, 3…). Must run in
 * the transaction that creates the document: the counter row stays locked until it
 * commits, so concurrent creations queue and each gets its own number, and a rolled-back
 * creation gives its number back (no gap, no duplicate).
 *
 * @example
 * await db.transaction().execute(async (trx) => nextDocumentNumber(trx, ws, 'quote', 2026)) // 1
 * // insert into document_counters … values ($1, 'quote', 2026, 1)
 * //   on conflict (workspace_id, kind, year) do update set last = document_counters.last + 1 returning last
 */
export async function nextDocumentNumber(trx: Db, workspaceId: string, kind: DocumentKind, year: number): Promise<number> {
  if (!trx.isTransaction) throw new Error('nextDocumentNumber must run inside the transaction that creates the document')
  const row = await trx
    .insertInto('document_counters')
    .values({ workspace_id: workspaceId, kind, year, last: 1 })
    .onConflict((oc) => oc.columns(['workspace_id', 'kind', 'year']).doUpdateSet({ last: sql<number>`document_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow()
  return row.last
}
