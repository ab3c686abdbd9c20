import { type Kysely, sql } from 'kysely'

// Files the app keeps (domain/files/file-storage.ts, ADR 0027): an index of contents
// by SHA-256 per workspace, their bytes in Postgres chunks (the default) or in an
// S3-compatible bucket. A sent quote version points at its frozen PDF there; a
// signature records the signer's "qualité" and how its PDF was sealed; an e-mail
// carries its Reply-To.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table stored_files (
    workspace_id uuid not null references workspaces(id) on delete cascade,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint not null check (size_bytes >= 0),
    content_type text not null,
    backend text not null check (backend in ('postgres', 's3')),
    blob_id uuid not null,
    created_at timestamptz not null default now(),
    primary key (workspace_id, sha256)
  )`.execute(db)
  // Written before the content's hash is known (a stream), then named by stored_files.
  await sql`create table stored_file_chunks (
    blob_id uuid not null,
    idx integer not null,
    bytes bytea not null,
    primary key (blob_id, idx)
  )`.execute(db)
  await sql`alter table quote_versions add column pdf_sha256 text`.execute(db)
  // A sent version stays immutable, except that the hash of its kept PDF is written once.
  await sql`
    create or replace function quote_versions_immutable() returns trigger language plpgsql as $$
    begin
      if old.pdf_sha256 is null and new.pdf_sha256 is not null and (to_jsonb(new) - 'pdf_sha256') = (to_jsonb(old) - 'pdf_sha256') then
        return new;
      end if;
      raise exception 'quote_versions rows are immutable (quote %, revision %)', old.quote_id, old.revision;
    end $$`.execute(db)
  await sql`alter table quote_signatures add column signer_title text, add column version_pdf_sha256 text, add column seal text check (seal in ('pades', 'hash'))`.execute(
    db,
  )
  await sql`alter table outbound_emails add column reply_to text`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table outbound_emails drop column reply_to`.execute(db)
  await sql`alter table quote_signatures drop column signer_title, drop column version_pdf_sha256, drop column seal`.execute(db)
  await sql`
    create or replace function quote_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'quote_versions rows are immutable (quote %, revision %)', old.quote_id, old.revision;
    end $$`.execute(db)
  await sql`alter table quote_versions drop column pdf_sha256`.execute(db)
  await sql`drop table stored_file_chunks`.execute(db)
  await sql`drop table stored_files`.execute(db)
}
