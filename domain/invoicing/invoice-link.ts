import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { hashLinkToken, isLinkTokenShape } from '../sales/quote-link.js'

// Public invoice links: /f/<token>, like the quotes' /q/<token>. 32 random bytes, only the
// SHA-256 stored. A link shows the issued invoice and its PDF; it does not expire (an
// invoice stays payable and its copy downloadable).

export async function createInvoiceLink(trx: Db, input: { workspaceId: string; invoiceId: string; recipient: string | null; now: Date }) {
  const token = randomBytes(32).toString('base64url')
  const id = randomUUID()
  await trx
    .insertInto('invoice_links')
    .values({
      id,
      workspace_id: input.workspaceId,
      invoice_id: input.invoiceId,
      token_sha256: hashLinkToken(token),
      recipient: input.recipient,
      created_at: input.now,
    })
    .execute()
  return { id, token }
}

export async function findInvoiceLink(db: Db, token: string) {
  if (!isLinkTokenShape(token)) return null
  return (await db.selectFrom('invoice_links').selectAll().where('token_sha256', '=', hashLinkToken(token)).executeTakeFirst()) ?? null
}
