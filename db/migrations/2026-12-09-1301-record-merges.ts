import { type Kysely, sql } from 'kysely'

// Merging duplicates (issue 13): the record that was merged away is kept (its events,
// its issued invoices and old links still name it), marked deleted and pointing at the
// one it was merged into, so a link to it redirects there.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table organisations add column merged_into_id uuid references organisations(id)`.execute(db)
  await sql`alter table contacts add column merged_into_id uuid references contacts(id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table contacts drop column merged_into_id`.execute(db)
  await sql`alter table organisations drop column merged_into_id`.execute(db)
}
