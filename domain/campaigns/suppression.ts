import type { Db } from '../../db/kysely.js'
import type { SuppressionReason } from '../../db/schema.js'

// The workspace's suppression list: addresses that get no marketing e-mail, whatever the
// segment said when the campaign started — unsubscribed (the one-click link), hard
// bounces and complaints (Resend's webhooks). The send engine reads it for every batch
// at send time (send-engine.ts), so an address added mid-campaign gets nothing more.

export const normaliseEmail = (email: string) => email.trim().toLowerCase()

/** Adds an address; the first reason recorded stays (it is the one the register shows). */
export async function suppressEmail(
  db: Db,
  input: { workspaceId: string; email: string; reason: SuppressionReason; source: string; now: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('email_suppressions')
    .values({
      workspace_id: input.workspaceId,
      email: normaliseEmail(input.email),
      reason: input.reason,
      source: input.source.slice(0, 200),
      created_at: input.now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'email']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Why an address is suppressed, or null. */
export async function suppressionOf(db: Db, workspaceId: string, email: string) {
  return (
    (await db
      .selectFrom('email_suppressions')
      .select(['reason', 'source', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('email', '=', normaliseEmail(email))
      .executeTakeFirst()) ?? null
  )
}
