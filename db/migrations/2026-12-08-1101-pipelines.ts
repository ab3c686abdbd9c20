import { type Kysely, sql } from 'kysely'

// More than one pipeline per workspace ("Nouveaux clients", "Renouvellements"), each with
// its own stages, configured by an admin (docs/decisions/0037-pipelines-own-their-stages.md).
// A stage belongs to one pipeline and stage codes stay unique in the workspace, so a
// deal's pipeline is its stage's: deals, the board rollups (0016, 0017) and the
// ClickHouse read models keep keying on the stage code, unchanged. Every workspace's
// existing stages (the demo's included) become its default pipeline.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table pipelines (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id),
    name text not null,
    position integer not null,
    version integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db)
  await sql`create index pipelines_workspace_idx on pipelines (workspace_id, position)`.execute(db)
  await sql`alter table pipeline_stages add column pipeline_id uuid references pipelines(id), add column archived_at timestamptz`.execute(db)
  await sql`insert into pipelines (id, workspace_id, name, position)
    select gen_random_uuid(), w.id, 'Pipeline commercial', 1 from workspaces w`.execute(db)
  await sql`update pipeline_stages s set pipeline_id = p.id from pipelines p where p.workspace_id = s.workspace_id`.execute(db)
  // A workspace that never had stages read the default ones from code: now they are rows.
  await sql`insert into pipeline_stages (workspace_id, code, label, position, probability, kind, pipeline_id)
    select p.workspace_id, d.code, d.label, d.position, d.probability, d.kind, p.id
    from pipelines p cross join (values
      ('PROSPECT', 'Prospect', 1, 10, 'open'), ('QUALIFICATION', 'Qualification', 2, 25, 'open'),
      ('PROPOSITION', 'Proposition', 3, 50, 'open'), ('NEGOCIATION', 'Négociation', 4, 75, 'open'),
      ('SIGNE', 'Signé', 5, 100, 'won'), ('PERDU', 'Perdu', 6, 0, 'lost')
    ) as d(code, label, position, probability, kind)
    where not exists (select 1 from pipeline_stages s where s.workspace_id = p.workspace_id)`.execute(db)
  await sql`alter table pipeline_stages alter column pipeline_id set not null`.execute(db)
  await sql`create index pipeline_stages_pipeline_idx on pipeline_stages (pipeline_id, position)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table pipeline_stages drop column pipeline_id, drop column archived_at`.execute(db)
  await sql`drop table pipelines`.execute(db)
}
