import { type Kysely, sql } from 'kysely'

// Typo-tolerant search without a trigram scan of a million deal titles. A misspelt word
// ("constrution") compared by word similarity against every title read the trigram
// posting lists of ~15,000 candidates: 100–300 ms at 1M deals. Instead (the pg_trgm
// manual's "table of unique words" technique):
//   search_words  the distinct words (lexemes) of organisation names, contact names and
//                 deal titles, per workspace — tens of thousands, kept by triggers
//   *_fts         a full-text index per searched text ('simple' config, accents folded)
// A query word is corrected against search_words (trigram similarity on the small table),
// then the records are found through the full-text index: one posting list per word.
// Words are never removed (a stale word only costs a lookup that finds nothing).

const SOURCES = [
  { table: 'organisations', text: 'f_unaccent(lower(name))', changed: 'n.name is distinct from o.name' },
  {
    table: 'contacts',
    text: "f_unaccent(lower(first_name || ' ' || last_name))",
    changed: '(n.first_name, n.last_name) is distinct from (o.first_name, o.last_name)',
  },
  { table: 'deals', text: 'f_unaccent(lower(title))', changed: 'n.title is distinct from o.title' },
] as const

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table search_words (
    workspace_id uuid not null references workspaces(id) on delete cascade,
    word text not null,
    primary key (workspace_id, word)
  )`.execute(db)
  await sql`create index search_words_trgm on search_words using gin (word gin_trgm_ops)`.execute(db)
  for (const { table, text, changed } of SOURCES) {
    const col = (alias: string) => sql.raw(text.replace(/(name|first_name|last_name|title)\b/g, (c) => `${alias}.${c}`))
    // Statement-level triggers with transition tables: a bulk insert (seed, import) adds its words in one statement.
    await sql`create function ${sql.raw(`search_words_${table}_ins`)}() returns trigger language plpgsql as $$
      begin
        insert into search_words (workspace_id, word)
        select distinct n.workspace_id, w.lexeme from new_rows n, unnest(to_tsvector('simple', ${col('n')})) w
        where length(w.lexeme) >= 3
        on conflict do nothing;
        return null;
      end $$`.execute(db)
    await sql`create function ${sql.raw(`search_words_${table}_upd`)}() returns trigger language plpgsql as $$
      begin
        insert into search_words (workspace_id, word)
        select distinct n.workspace_id, w.lexeme from new_rows n join old_rows o on o.id = n.id, unnest(to_tsvector('simple', ${col('n')})) w
        where ${sql.raw(changed)} and length(w.lexeme) >= 3
        on conflict do nothing;
        return null;
      end $$`.execute(db)
    await sql`create trigger ${sql.raw(`search_words_${table}_ins`)} after insert on ${sql.table(table)}
      referencing new table as new_rows for each statement execute function ${sql.raw(`search_words_${table}_ins`)}()`.execute(db)
    await sql`create trigger ${sql.raw(`search_words_${table}_upd`)} after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows for each statement execute function ${sql.raw(`search_words_${table}_upd`)}()`.execute(db)
    await sql`insert into search_words (workspace_id, word)
      select distinct t.workspace_id, w.lexeme from ${sql.table(table)} t, unnest(to_tsvector('simple', ${col('t')})) w
      where length(w.lexeme) >= 3 on conflict do nothing`.execute(db)
    await sql`create index ${sql.raw(`${table}_fts`)} on ${sql.table(table)} using gin (to_tsvector('simple', ${sql.raw(text)}))`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of SOURCES) {
    await sql`drop trigger if exists ${sql.raw(`search_words_${table}_ins`)} on ${sql.table(table)}`.execute(db)
    await sql`drop trigger if exists ${sql.raw(`search_words_${table}_upd`)} on ${sql.table(table)}`.execute(db)
    await sql`drop function if exists ${sql.raw(`search_words_${table}_ins`)}(), ${sql.raw(`search_words_${table}_upd`)}()`.execute(db)
    await sql`drop index if exists ${sql.raw(`${table}_fts`)}`.execute(db)
  }
  await sql`drop table if exists search_words`.execute(db)
}
