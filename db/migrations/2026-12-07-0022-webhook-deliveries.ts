import { type Kysely, sql } from 'kysely'

// The ids of the inbound webhook deliveries a workflow accepted (Standard Webhooks
// `webhook-id`): a captured request posted again is refused instead of starting another
// run. A delivery is accepted only within 5 minutes of its signed timestamp, so its id is
// kept a little longer than the window (pruned on receipt, domain/workflows/engine/inbound-webhook.ts).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table workflow_webhook_deliveries (
    workflow_id uuid not null references workflows(id) on delete cascade,
    webhook_id text not null,
    received_at timestamptz not null,
    run_id uuid,
    primary key (workflow_id, webhook_id)
  )`.execute(db)
  await sql`create index workflow_webhook_deliveries_received on workflow_webhook_deliveries (workflow_id, received_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table workflow_webhook_deliveries`.execute(db)
}
