import { type Kysely, sql } from 'kysely'

// The pipeline board's column totals from a rollup instead of every deal. Summing the
// open stages read ~170,000 index entries at 1M deals (and the won/lost columns' 90 days
// ~150,000): 90–130 ms each, over the 100 ms target on a loaded machine. deal_board_totals
// holds count, amount and Σ amount × probability per (workspace, stage, UTC day of the
// last stage change, owner, shared) — the columns the role and owner filters read — kept
// by statement-level triggers on deals, so every write path (commands, seed, import)
// updates it in its own transaction. Deltas are applied in key order: two transactions
// moving deals in opposite directions lock the same rows in the same order (no deadlock).
// Rows that fall to zero stay (harmless, few).

const KEY = 'workspace_id, stage, day, owner_id, shared'
const rowsOf = (source: 'new_rows' | 'old_rows', sign: 1 | -1) => `
  select workspace_id, stage, (stage_changed_at at time zone 'UTC')::date as day, owner_id, shared,
    ${sign} as n, ${sign} * amount_cents as amount, ${sign} * (amount_cents::numeric * probability) as weighted
  from ${source} where deleted_at is null`
const apply = (sources: string[]) => `
  insert into deal_board_totals as t (${KEY}, deals, amount_cents, weighted)
  select ${KEY}, sum(n), sum(amount), sum(weighted) from (${sources.join(' union all ')}) d
  group by ${KEY} having sum(n) <> 0 or sum(amount) <> 0 or sum(weighted) <> 0
  order by ${KEY}
  on conflict (${KEY}) do update set deals = t.deals + excluded.deals, amount_cents = t.amount_cents + excluded.amount_cents, weighted = t.weighted + excluded.weighted;`

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table deal_board_totals (
    workspace_id uuid not null references workspaces(id) on delete cascade,
    stage text not null,
    day date not null,
    owner_id uuid,
    shared boolean not null,
    deals integer not null,
    amount_cents bigint not null,
    weighted numeric not null
  )`.execute(db)
  await sql`create unique index deal_board_totals_key on deal_board_totals (workspace_id, stage, day, owner_id, shared) nulls not distinct`.execute(db)
  await sql
    .raw(
      `create function deal_board_totals_apply() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then ${apply([rowsOf('new_rows', 1)])}
      elsif TG_OP = 'DELETE' then ${apply([rowsOf('old_rows', -1)])}
      else ${apply([rowsOf('new_rows', 1), rowsOf('old_rows', -1)])}
      end if;
      return null;
    end $$`,
    )
    .execute(db)
  await sql`create trigger deal_board_totals_ins after insert on deals referencing new table as new_rows for each statement execute function deal_board_totals_apply()`.execute(
    db,
  )
  await sql`create trigger deal_board_totals_upd after update on deals referencing old table as old_rows new table as new_rows for each statement execute function deal_board_totals_apply()`.execute(
    db,
  )
  await sql`create trigger deal_board_totals_del after delete on deals referencing old table as old_rows for each statement execute function deal_board_totals_apply()`.execute(
    db,
  )
  await sql
    .raw(
      `insert into deal_board_totals (${KEY}, deals, amount_cents, weighted)
    select workspace_id, stage, (stage_changed_at at time zone 'UTC')::date, owner_id, shared, count(*), sum(amount_cents), sum(amount_cents::numeric * probability)
    from deals where deleted_at is null group by 1, 2, 3, 4, 5`,
    )
    .execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['ins', 'upd', 'del']) await sql.raw(`drop trigger if exists deal_board_totals_${t} on deals`).execute(db)
  await sql`drop function if exists deal_board_totals_apply()`.execute(db)
  await sql`drop table if exists deal_board_totals`.execute(db)
}
