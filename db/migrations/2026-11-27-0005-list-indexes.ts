import { type Kysely, sql } from 'kysely'

// List views (organisations, deals): one btree per offered sort, ending in `id`, so a page
// is an index range scan from the keyset cursor `(sort key, id)` — as fast on page 4 000
// as on page 1. Partial on live rows: the lists never show deleted ones. Each index
// serves both directions (a backward scan). See docs/performance.md, "CRM".
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index organisations_list_name_idx on organisations (workspace_id, name, id) where deleted_at is null`.execute(db)
  await sql`create index organisations_list_created_idx on organisations (workspace_id, created_at, id) where deleted_at is null`.execute(db)
  await sql`create index organisations_tags_idx on organisations using gin (tags) where deleted_at is null`.execute(db)

  await sql`create index deals_list_created_idx on deals (workspace_id, created_at, id) where deleted_at is null`.execute(db)
  await sql`create index deals_list_amount_idx on deals (workspace_id, amount_cents, id) where deleted_at is null`.execute(db)
  // Deals without a date sort as the latest ones (NULLS LAST ascending), in one index.
  await sql`create index deals_list_close_idx on deals (workspace_id, coalesce(expected_close_date, 'infinity'::date), id) where deleted_at is null`.execute(db)
  await sql`create index deals_list_title_idx on deals (workspace_id, title, id) where deleted_at is null`.execute(db)

  // A user's filter names are unique per list: saving under an existing name replaces it.
  await sql`create unique index saved_filters_user_name_key on saved_filters (workspace_id, user_id, entity, name)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists organisations_list_name_idx, organisations_list_created_idx, organisations_tags_idx,
    deals_list_created_idx, deals_list_amount_idx, deals_list_close_idx, deals_list_title_idx, saved_filters_user_name_key`.execute(db)
}
