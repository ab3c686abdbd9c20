import { type Kysely, sql } from 'kysely'

// The demo seed's progress, so that a start interrupted while it loads (Ctrl+C, kill -9,
// the OOM killer) is completed by the next start instead of wedging the install
// (docs/decisions/0021-resumable-seed-and-orphan-postmaster.md). One run per name
// ('demo'), with the options it was started with (a resumed run keeps them: same data,
// same ids), and one row per finished step, written in the same transaction as the
// step's rows.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table seed_runs (
    name text primary key,
    options jsonb not null,
    started_at timestamptz not null default now(),
    completed_at timestamptz
  )`.execute(db)
  await sql`create table seed_steps (
    run text not null references seed_runs(name) on delete cascade,
    step text not null,
    done_at timestamptz not null default now(),
    primary key (run, step)
  )`.execute(db)
  // A demo loaded before this table existed is complete: it was written in one transaction.
  await sql`insert into seed_runs (name, options, completed_at)
    select 'demo', '{}'::jsonb, now() from workspaces w
    where w.slug = 'demo' and exists (select 1 from organisations o where o.workspace_id = w.id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table seed_steps`.execute(db)
  await sql`drop table seed_runs`.execute(db)
}
