import { type Kysely, sql } from 'kysely'

// The analysed file is kept until it is committed, so the commit re-reads exactly what
// the dry run reported on.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table imports add column content text not null default ''`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table imports drop column content`.execute(db)
}
