import { type Kysely, sql } from 'kysely'

// Workflow runs (issue 7, engine). A run is one execution of one published version for
// one trigger; `trigger_key` is unique per workflow, which is what makes "each qualifying
// event starts exactly one run" hold even when the dispatcher or a scheduled pass runs
// twice: the event position, `inactivity:<record>:<period start>`, `schedule:<due time>`,
// `webhook:<request id>`. Steps keep one row per attempt. Side-effect keys (run + step)
// are written in the transaction of the step's success, so a retried step finds its key
// and does nothing twice.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table workflow_runs (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      workflow_id uuid not null references workflows(id),
      workflow_version integer not null,
      trigger_kind text not null,
      trigger_key text not null,
      trigger_event_position bigint,
      trigger_event_type text,
      trigger_payload jsonb not null default '{}',
      subject_type text,
      subject_id uuid,
      status text not null check (status in ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'skipped')),
      skip_reason text,
      current_step text,
      wake_at timestamptz,
      depth integer not null default 0,
      dry_run boolean not null default false,
      correlation_id uuid not null,
      error text,
      failed_step text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      first_effect_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now(),
      unique (workflow_id, trigger_key)
    )`.execute(db)
  await sql`create index workflow_runs_list_idx on workflow_runs (workspace_id, workflow_id, created_at desc)`.execute(db)
  await sql`create index workflow_runs_failed_idx on workflow_runs (workspace_id, finished_at desc) where status = 'failed'`.execute(db)
  // Loop protection: runs of a workflow on one record in the last hour.
  await sql`create index workflow_runs_rate_idx on workflow_runs (workflow_id, subject_id, created_at) where subject_id is not null`.execute(db)

  await sql`
    create table workflow_run_steps (
      id bigserial primary key,
      run_id uuid not null references workflow_runs(id) on delete cascade,
      workspace_id uuid not null,
      step_id text not null,
      step_type text not null,
      attempt integer not null,
      status text not null check (status in ('running', 'succeeded', 'failed', 'retrying', 'waiting', 'skipped')),
      input jsonb,
      decision text,
      output jsonb,
      error text,
      started_at timestamptz not null,
      finished_at timestamptz,
      duration_ms integer,
      wake_at timestamptz
    )`.execute(db)
  await sql`create index workflow_run_steps_run_idx on workflow_run_steps (run_id, id)`.execute(db)

  await sql`
    create table workflow_side_effects (
      run_id uuid not null references workflow_runs(id) on delete cascade,
      step_id text not null,
      kind text not null,
      target_id text,
      created_at timestamptz not null default now(),
      primary key (run_id, step_id)
    )`.execute(db)

  // Round-robin assignment: the last user given a record, per team.
  await sql`
    create table workflow_round_robin (
      workspace_id uuid not null references workspaces(id),
      team_id uuid not null,
      last_user_id uuid,
      updated_at timestamptz not null default now(),
      primary key (workspace_id, team_id)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists workflow_round_robin`.execute(db)
  await sql`drop table if exists workflow_side_effects`.execute(db)
  await sql`drop table if exists workflow_run_steps`.execute(db)
  await sql`drop table if exists workflow_runs`.execute(db)
}
