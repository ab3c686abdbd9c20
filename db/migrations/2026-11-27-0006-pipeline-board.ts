import { type Kysely, sql } from 'kysely'

// The pipeline board (/pipeline): per column, the 50 deals most recently moved into it
// — a range scan of (workspace_id, stage, stage_changed_at desc) instead of sorting the
// whole stage (hundreds of thousands of closed deals) — and the column totals as an
// index-only scan: the INCLUDE columns are everything the totals and the role filter read.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index deals_board_idx on deals (workspace_id, stage, stage_changed_at desc, id)
    include (amount_cents, probability, owner_id, shared) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists deals_board_idx`.execute(db)
}
