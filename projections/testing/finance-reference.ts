import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { monthsBetween } from '../queries/finance.js'
import type { FinanceFigures } from '../queries/finance.types.js'

// The finance dashboard's figures straight from the Postgres write model (invoices,
// invoice_payments), with none of the ClickHouse code: what the proof test holds the read
// models to. Same definitions as projections/queries/finance.ts.

const N = (v: unknown) => Number(v ?? 0)

export async function postgresFinanceFigures(db: Db, ws: string, o: { today: string; fromMonth: string; listLimit?: number }): Promise<FinanceFigures> {
  const yearAgo = sql`(${o.today}::date - 364)`
  const issued = sql`select i.*, case when i.type_code = '381' then -i.amount_due_cents else i.amount_due_cents end as invoiced,
      case when i.type_code = '381' or i.status <> 'emise' then 0 else greatest(0, i.amount_due_cents - i.paid_cents - i.credited_cents) end as open,
      (${o.today}::date - i.due_date) as late
    from invoices i where i.workspace_id = ${ws} and i.status <> 'brouillon'`
  const rows = async <T>(q: ReturnType<typeof sql>) => (await (q as ReturnType<typeof sql<T>>).execute(db)).rows as T[]
  const invoiced = await rows<{ m: string; c: string }>(
    sql`select to_char(issue_date, 'YYYY-MM') as m, sum(invoiced) as c from (${issued}) x where issue_date >= ${`${o.fromMonth}-01`}::date and issue_date <= ${o.today}::date group by m`,
  )
  const collected = await rows<{ m: string; c: string }>(
    sql`select to_char(paid_on, 'YYYY-MM') as m, sum(amount_cents) as c from invoice_payments where workspace_id = ${ws}
        and paid_on >= ${`${o.fromMonth}-01`}::date and paid_on <= ${o.today}::date group by m`,
  )
  const [open] = await rows<{ total: string; n: string; overdue: string }>(
    sql`select coalesce(sum(open), 0) as total, count(*) filter (where open > 0) as n, coalesce(sum(open) filter (where late > 0), 0) as overdue from (${issued}) x`,
  )
  const buckets = await rows<{ b: string; c: string }>(
    sql`select case when late <= 0 then 'not_due' when late <= 30 then 'd0_30' when late <= 60 then 'd31_60' when late <= 90 then 'd61_90' else 'd90_plus' end as b,
        sum(open) as c from (${issued}) x where open > 0 group by b`,
  )
  const [year] = await rows<{ c: string }>(
    sql`select coalesce(sum(invoiced), 0) as c from (${issued}) x where issue_date >= ${yearAgo} and issue_date <= ${o.today}::date`,
  )
  const late = await rows<{ organisation_id: string; name: string; overdue: string; n: string; delay: string | null }>(
    sql`select i.organisation_id, i.name, i.overdue, i.n, d.delay from (
          select organisation_id, (array_agg(document->'buyer'->>'name' order by issue_date desc, number desc))[1] as name,
                 sum(open) filter (where late > 0) as overdue, count(*) filter (where open > 0 and late > 0) as n
          from (${issued}) x group by organisation_id having coalesce(sum(open) filter (where late > 0), 0) > 0) i
        left join (
          select i.organisation_id, sum(p.amount_cents * (p.paid_on - i.due_date))::float8 / sum(p.amount_cents) as delay
          from invoice_payments p join invoices i on i.id = p.invoice_id
          where p.workspace_id = ${ws} and p.paid_on >= ${yearAgo} and p.paid_on <= ${o.today}::date and p.amount_cents > 0
          group by i.organisation_id) d on d.organisation_id = i.organisation_id
        order by i.overdue desc, i.organisation_id limit 10`,
  )
  const clients = await rows<{ organisation_id: string; name: string; c: string }>(
    sql`select organisation_id, (array_agg(document->'buyer'->>'name' order by issue_date desc, number desc))[1] as name,
          sum((case when type_code = '381' then -1 else 1 end) * ((document->'totals'->>'total_ht_cents')::bigint
            - coalesce((select sum((d->>'total_ht_cents')::bigint) from jsonb_array_elements(document->'deducted_deposits') d), 0))) as c
        from (${issued}) x where issue_date >= ${yearAgo} and issue_date <= ${o.today}::date
        group by organisation_id having sum((case when type_code = '381' then -1 else 1 end) * ((document->'totals'->>'total_ht_cents')::bigint
            - coalesce((select sum((d->>'total_ht_cents')::bigint) from jsonb_array_elements(document->'deducted_deposits') d), 0))) <> 0
        order by c desc, organisation_id limit 15`,
  )
  const list = await rows<{ id: string; number: string; organisation_id: string; name: string; issue_date: string; due_date: string; open: string }>(
    sql`select id, number, organisation_id, document->'buyer'->>'name' as name, to_char(issue_date, 'YYYY-MM-DD') as issue_date,
          to_char(due_date, 'YYYY-MM-DD') as due_date, open from (${issued}) x where open > 0 order by due_date, number collate "C" limit ${o.listLimit ?? 50}`,
  )
  const inv = new Map(invoiced.map((r) => [r.m, N(r.c)]))
  const col = new Map(collected.map((r) => [r.m, N(r.c)]))
  const b = new Map(buckets.map((r) => [r.b, N(r.c)]))
  const total = N(open.total)
  const y = N(year.c)
  return {
    months: monthsBetween(o.fromMonth, o.today.slice(0, 7)).map((m) => ({ month: m, invoiced_cents: inv.get(m) ?? 0, collected_cents: col.get(m) ?? 0 })),
    open: { total_cents: total, count: N(open.n), overdue_cents: N(open.overdue) },
    aging: {
      not_due: b.get('not_due') ?? 0,
      d0_30: b.get('d0_30') ?? 0,
      d31_60: b.get('d31_60') ?? 0,
      d61_90: b.get('d61_90') ?? 0,
      d90_plus: b.get('d90_plus') ?? 0,
    },
    dso: { open_cents: total, invoiced_12m_cents: y, days: y > 0 ? Math.round((total / y) * 365) : null },
    latePayers: late.map((r) => ({
      organisation_id: r.organisation_id,
      name: r.name,
      overdue_cents: N(r.overdue),
      overdue_count: N(r.n),
      avg_delay_days: r.delay === null ? null : Math.round(Number(r.delay)),
    })),
    clients: clients.map((r) => ({ organisation_id: r.organisation_id, name: r.name, revenue_ht_cents: N(r.c) })),
    openList: list.map((r) => ({
      invoice_id: r.id,
      number: r.number,
      organisation_id: r.organisation_id,
      organisation_name: r.name,
      issue_date: r.issue_date,
      due_date: r.due_date,
      open_cents: N(r.open),
    })),
  }
}
