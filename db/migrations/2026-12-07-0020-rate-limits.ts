import { type Kysely, sql } from 'kysely'

// One row per rate-limited key (login: email + address; public quote links: address),
// counted by a single `insert … on conflict … do update … returning` so parallel requests
// cannot all read "0 so far" before any of them is counted (issue 12: 60 parallel logins
// all had their password checked). Replaces the reads of `login_attempts`, which stays
// for now (no longer written) and can be dropped once every instance runs this version.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table rate_limits (
    key text primary key,
    window_started_at timestamptz not null,
    hits integer not null
  )`.execute(db)
  await sql`create index rate_limits_window_idx on rate_limits (window_started_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table rate_limits`.execute(db)
}
