import { type Kysely, sql } from 'kysely'

// A whole board column (open stages, or won/lost "depuis toujours") summed from
// deal_board_totals still read one row per day of stage change: ~16,500 rows for the open
// columns at 1M deals, 5–23 ms and the most CPU of a board page. deal_stage_totals holds
// the same figures without the day — per (workspace, stage, owner, shared), ~100 rows
// per workspace. The trigger function of migration 0016 now keeps both, in key order.

const DAY_KEY = 'workspace_id, stage, day, owner_id, shared'
const STAGE_KEY = 'workspace_id, stage, owner_id, shared'
const rowsOf = (source: 'new_rows' | 'old_rows', sign: 1 | -1) => `
  select workspace_id, stage, (stage_changed_at at time zone 'UTC')::date as day, owner_id, shared,
    ${sign} as n, ${sign} * amount_cents as amount, ${sign} * (amount_cents::numeric * probability) as weighted
  from ${source} where deleted_at is null`
const apply = (sources: string[], table: string, key: string) => `
  insert into ${table} as t (${key}, deals, amount_cents, weighted)
  select ${key}, sum(n), sum(amount), sum(weighted) from (${sources.join(' union all ')}) d
  group by ${key} having sum(n) <> 0 or sum(amount) <> 0 or sum(weighted) <> 0
  order by ${key}
  on conflict (${key}) do update set deals = t.deals + excluded.deals, amount_cents = t.amount_cents + excluded.amount_cents, weighted = t.weighted + excluded.weighted;`
const function_ = (tables: [string, string][]) => `create or replace function deal_board_totals_apply() returns trigger language plpgsql as $$
  begin
    if TG_OP = 'INSERT' then ${tables.map(([t, k]) => apply([rowsOf('new_rows', 1)], t, k)).join('')}
    elsif TG_OP = 'DELETE' then ${tables.map(([t, k]) => apply([rowsOf('old_rows', -1)], t, k)).join('')}
    else ${tables.map(([t, k]) => apply([rowsOf('new_rows', 1), rowsOf('old_rows', -1)], t, k)).join('')}
    end if;
    return null;
  end $$`

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table deal_stage_totals (
    workspace_id uuid not null references workspaces(id) on delete cascade,
    stage text not null,
    owner_id uuid,
    shared boolean not null,
    deals integer not null,
    amount_cents bigint not null,
    weighted numeric not null
  )`.execute(db)
  await sql`create unique index deal_stage_totals_key on deal_stage_totals (workspace_id, stage, owner_id, shared) nulls not distinct`.execute(db)
  // Lock deals while the function changes and the table fills: no write slips between the two.
  await sql`lock table deals in share row exclusive mode`.execute(db)
  await sql
    .raw(
      function_([
        ['deal_board_totals', DAY_KEY],
        ['deal_stage_totals', STAGE_KEY],
      ]),
    )
    .execute(db)
  await sql
    .raw(
      `insert into deal_stage_totals (${STAGE_KEY}, deals, amount_cents, weighted)
    select workspace_id, stage, owner_id, shared, sum(deals), sum(amount_cents), sum(weighted)
    from deal_board_totals group by 1, 2, 3, 4`,
    )
    .execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(function_([['deal_board_totals', DAY_KEY]])).execute(db)
  await sql`drop table if exists deal_stage_totals`.execute(db)
}
