// The finance dashboard's figures (cents, Paris days), shared by the ClickHouse queries,
// their Postgres reference and the page.

export type AgingBuckets = { not_due: number; d0_30: number; d31_60: number; d61_90: number; d90_plus: number }
export const AGING_KEYS = ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'] as const

export type OpenInvoiceLine = {
  invoice_id: string
  number: string
  organisation_id: string
  organisation_name: string
  issue_date: string
  due_date: string
  open_cents: number
}

export type FinanceFigures = {
  months: { month: string; invoiced_cents: number; collected_cents: number }[]
  open: { total_cents: number; count: number; overdue_cents: number }
  aging: AgingBuckets
  /** DSO = open receivables ÷ TTC invoiced over the last 365 days × 365. */
  dso: { open_cents: number; invoiced_12m_cents: number; days: number | null }
  latePayers: { organisation_id: string; name: string; overdue_cents: number; overdue_count: number; avg_delay_days: number | null }[]
  clients: { organisation_id: string; name: string; revenue_ht_cents: number }[]
  openList: OpenInvoiceLine[]
}
