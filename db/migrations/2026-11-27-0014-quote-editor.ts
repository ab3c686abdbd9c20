import { type Kysely, sql } from 'kysely'

// Quote editor and catalogue screens (issue 5): the /quotes list reads newest first,
// filtered by status or by owner (the quote's author) — one index per filter keeps each
// page a short index scan instead of a sort of the workspace's quotes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index quotes_ws_status_created_idx on quotes (workspace_id, status, created_at desc, id desc)`.execute(db)
  await sql`create index quotes_ws_creator_created_idx on quotes (workspace_id, created_by, created_at desc, id desc)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists quotes_ws_creator_created_idx`.execute(db)
  await sql`drop index if exists quotes_ws_status_created_idx`.execute(db)
}
