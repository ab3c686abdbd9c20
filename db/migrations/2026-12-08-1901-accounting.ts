import { type Kysely, sql } from 'kysely'

// Accounting (issue 17): the chart of accounts per workspace, and the journal — entries
// written once from an issued invoice or a recorded payment (the source unique, so a
// replay writes nothing), numbered without gaps per journal. A posted entry is never
// changed: only the lettering of its lines (letter + date) is set later; a correction
// is a new entry.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table accounting_settings (
    workspace_id uuid primary key references workspaces(id) on delete cascade,
    chart jsonb not null,
    version integer not null check (version > 0),
    updated_at timestamptz not null,
    updated_by uuid
  )`.execute(db)
  await sql`create table journal_counters (
    workspace_id uuid not null references workspaces(id) on delete cascade,
    journal_code text not null,
    last_number integer not null,
    primary key (workspace_id, journal_code)
  )`.execute(db)
  await sql`create table journal_entries (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    journal_code text not null,
    journal_label text not null,
    number integer not null check (number > 0),
    entry_date date not null,
    piece_ref text not null,
    piece_date date not null,
    label text not null,
    source_kind text not null check (source_kind in ('invoice', 'payment', 'manual')),
    source_id text not null,
    validated_at timestamptz not null,
    unique (workspace_id, journal_code, number),
    unique (workspace_id, source_kind, source_id)
  )`.execute(db)
  await sql`create index journal_entries_period_idx on journal_entries (workspace_id, entry_date)`.execute(db)
  await sql`create table journal_lines (
    entry_id uuid not null references journal_entries(id) on delete cascade,
    workspace_id uuid not null,
    position integer not null,
    account text not null,
    account_label text not null,
    aux_account text,
    aux_label text,
    label text not null,
    debit_cents bigint not null check (debit_cents >= 0),
    credit_cents bigint not null check (credit_cents >= 0),
    match_ref text,
    lettering text,
    lettered_on date,
    check (debit_cents = 0 or credit_cents = 0),
    primary key (entry_id, position)
  )`.execute(db)
  await sql`create index journal_lines_open_idx on journal_lines (workspace_id, aux_account, match_ref) where lettering is null and match_ref is not null`.execute(
    db,
  )
  await sql`
    create function journal_entries_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'journal entries are never changed (entry %): post a correcting entry', old.id;
    end $$`.execute(db)
  await sql`create trigger journal_entries_immutable before update on journal_entries for each row execute function journal_entries_immutable()`.execute(db)
  await sql`
    create function journal_lines_immutable() returns trigger language plpgsql as $$
    begin
      if (to_jsonb(new) - 'lettering' - 'lettered_on') = (to_jsonb(old) - 'lettering' - 'lettered_on') then
        return new;
      end if;
      raise exception 'journal lines are never changed except their lettering (entry %)', old.entry_id;
    end $$`.execute(db)
  await sql`create trigger journal_lines_immutable before update on journal_lines for each row execute function journal_lines_immutable()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table journal_lines`.execute(db)
  await sql`drop table journal_entries`.execute(db)
  await sql`drop function journal_lines_immutable()`.execute(db)
  await sql`drop function journal_entries_immutable()`.execute(db)
  await sql`drop table journal_counters`.execute(db)
  await sql`drop table accounting_settings`.execute(db)
}
