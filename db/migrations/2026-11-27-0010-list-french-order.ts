import { type Kysely, sql } from 'kysely'

// Names and titles in French dictionary order: the cluster's C collation put "École"
// after "Zola" and "éclair" after "Zoo". The list's name/title sorts (and their keyset
// cursors) use the ICU French collation; their indexes are rebuilt with it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists organisations_list_name_idx, deals_list_title_idx`.execute(db)
  await sql`create index organisations_list_name_idx on organisations (workspace_id, name collate "fr-x-icu", id) where deleted_at is null`.execute(db)
  await sql`create index deals_list_title_idx on deals (workspace_id, title collate "fr-x-icu", id) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists organisations_list_name_idx, deals_list_title_idx`.execute(db)
  await sql`create index organisations_list_name_idx on organisations (workspace_id, name, id) where deleted_at is null`.execute(db)
  await sql`create index deals_list_title_idx on deals (workspace_id, title, id) where deleted_at is null`.execute(db)
}
