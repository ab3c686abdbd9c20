import { type Kysely, sql } from 'kysely'

// Meeting check-in (issue 15): "Je suis arrivé" on a meeting records the time, and the
// position when the phone gave one. A table of its own rather than columns on
// activities: a check-in is not an edit of the activity (it must not bump its version
// and make a queued offline edit of the same meeting conflict), and a meeting may be
// checked into by more than one person.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table activity_check_ins (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    activity_id uuid not null references activities(id) on delete cascade,
    user_id uuid not null references users(id),
    checked_in_at timestamptz not null,
    latitude double precision,
    longitude double precision,
    accuracy_m double precision,
    position_status text not null check (position_status in ('ok', 'denied', 'unavailable', 'timeout', 'unsupported')),
    check ((position_status = 'ok') = (latitude is not null and longitude is not null))
  )`.execute(db)
  await sql`create index activity_check_ins_activity_idx on activity_check_ins (workspace_id, activity_id, checked_in_at desc)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table activity_check_ins`.execute(db)
}
