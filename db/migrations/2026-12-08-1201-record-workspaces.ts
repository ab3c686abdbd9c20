import { type Kysely, sql } from 'kysely'

// Records as workspaces (issue 13): an organisation's switchboard, website and generic
// e-mail; whether a person set its status by hand (then the "first won deal → client"
// rule leaves it alone, ADR 0035); tags and notes on contacts, as organisations have.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table organisations
    add column phone text,
    add column website text,
    add column email text,
    add column status_manual boolean not null default false`.execute(db)
  await sql`alter table contacts
    add column tags text[] not null default '{}',
    add column notes text`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table contacts drop column tags, drop column notes`.execute(db)
  await sql`alter table organisations drop column phone, drop column website, drop column email, drop column status_manual`.execute(db)
}
