import type { FeatureSpec, RawValue } from './feature-encoder.js'

// A deal's features AS OF a date, replayed from the event log (the write model's history):
// only what was known on that date. Never the close date, the close amount, the duration
// to close, the final stage or anything written later. The builder refuses an event
// recorded after the date, so a caller cannot feed it the future by mistake; the loader
// (features-as-of.server.ts) selects only events recorded up to the date.

export type LoggedEvent = { stream_type: string; stream_id: string; type: string; data: Record<string, unknown>; occurred_at: Date }

export const DEAL_FEATURES: FeatureSpec[] = [
  { name: 'sector', kind: 'categorical' },
  { name: 'size', kind: 'categorical' },
  { name: 'region', kind: 'categorical' },
  { name: 'org_age_days', kind: 'numeric' },
  { name: 'source', kind: 'categorical' },
  { name: 'category', kind: 'categorical' },
  { name: 'amount_log', kind: 'numeric' },
  { name: 'stage', kind: 'categorical' },
  { name: 'days_in_stage', kind: 'numeric' },
  { name: 'meetings_30d', kind: 'numeric' },
  { name: 'calls_30d', kind: 'numeric' },
  { name: 'emails_30d', kind: 'numeric' },
  { name: 'notes_30d', kind: 'numeric' },
  { name: 'activities_90d', kind: 'numeric' },
  { name: 'days_since_contact', kind: 'numeric' },
  { name: 'rep_win_rate', kind: 'numeric' },
  { name: 'team_win_rate', kind: 'numeric' },
  { name: 'quote_sent', kind: 'numeric' },
  { name: 'org_won_before', kind: 'numeric' },
  { name: 'org_lost_before', kind: 'numeric' },
]

export type DealFeatureRow = Record<string, RawValue>

type DealSnap = {
  id: string
  organisation_id: string
  owner_id: string | null
  amount_cents: number
  source: string | null
  category: string | null
  region: string | null
  stage: string
  stage_probability: number | null
  stage_since: Date
  closed: null | 'won' | 'lost'
  closed_at: Date | null
  deleted: boolean
}

const DAY = 86_400_000
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null)

/**
 * Features of every deal open on `asOf` (created, not closed, not deleted), from events
 * recorded up to `asOf`. `teamOf` gives a rep's team (teams are not in the event log).
 */
export function dealFeaturesAsOf(events: LoggedEvent[], asOf: Date, teamOf: (userId: string) => string | null = () => null): Map<string, DealFeatureRow> {
  const deals = new Map<string, DealSnap>()
  const orgs = new Map<string, { sector: string | null; size: string | null; created: Date }>()
  const acts = new Map<string, { kind: string; at: Date; deal_id: string | null; organisation_id: string | null; deleted: boolean }>()
  const quoteSent = new Set<string>()
  const quoteDeal = new Map<string, string>()
  for (const e of events) {
    if (e.occurred_at.getTime() > asOf.getTime()) throw new Error(`Événement postérieur à la date de calcul (${e.type} du ${e.occurred_at.toISOString()})`)
    const d = e.data
    if (e.stream_type === 'organisation') {
      if (e.type === 'OrganisationCreated') orgs.set(e.stream_id, { sector: str(d.sector), size: str(d.size), created: e.occurred_at })
      else if (e.type === 'OrganisationUpdated') {
        const o = orgs.get(e.stream_id)
        const c = (d.changes ?? {}) as Record<string, unknown>
        if (o && 'sector' in c) o.sector = str(c.sector)
        if (o && 'size' in c) o.size = str(c.size)
      }
    } else if (e.stream_type === 'deal') {
      if (e.type === 'DealCreated')
        deals.set(e.stream_id, {
          id: e.stream_id,
          organisation_id: String(d.organisation_id),
          owner_id: str(d.owner_id),
          amount_cents: Number(d.amount_cents) || 0,
          source: str(d.source),
          category: str(d.category),
          region: str(d.region),
          stage: String(d.stage),
          stage_probability: typeof d.probability === 'number' ? d.probability : null,
          stage_since: e.occurred_at,
          closed: null,
          closed_at: null,
          deleted: false,
        })
      const s = deals.get(e.stream_id)
      if (!s) continue
      if (e.type === 'DealUpdated') {
        const c = (d.changes ?? {}) as Record<string, unknown>
        if ('amount_cents' in c) s.amount_cents = Number(c.amount_cents) || 0
        if ('owner_id' in c) s.owner_id = str(c.owner_id)
        for (const k of ['source', 'category', 'region'] as const) if (k in c) s[k] = str(c[k])
        if ('organisation_id' in c) s.organisation_id = String(c.organisation_id)
      } else if (e.type === 'DealStageChanged') {
        s.stage = String(d.to)
        s.stage_probability = typeof d.probability === 'number' ? d.probability : null
        s.stage_since = e.occurred_at
        // A lost stage always carries its reason; a won one never does.
        s.closed = d.closed ? (d.lost_reason ? 'lost' : 'won') : null
        s.closed_at = d.closed ? e.occurred_at : null
      } else if (e.type === 'DealDeleted') s.deleted = true
    } else if (e.stream_type === 'activity') {
      if (e.type === 'ActivityLogged')
        acts.set(e.stream_id, {
          kind: String(d.kind),
          at: new Date(String(d.occurred_at)),
          deal_id: str(d.deal_id),
          organisation_id: str(d.organisation_id),
          deleted: false,
        })
      const a = acts.get(e.stream_id)
      if (!a) continue
      if (e.type === 'ActivityUpdated') {
        const c = (d.changes ?? {}) as Record<string, unknown>
        if ('occurred_at' in c) a.at = new Date(String(c.occurred_at))
        if ('kind' in c) a.kind = String(c.kind)
        if ('deal_id' in c) a.deal_id = str(c.deal_id)
      } else if (e.type === 'ActivityDeleted') a.deleted = true
    } else if (e.stream_type === 'quote') {
      if (e.type === 'QuoteCreated' && str(d.deal_id)) quoteDeal.set(e.stream_id, String(d.deal_id))
      if (e.type === 'QuoteSent') {
        const deal = quoteDeal.get(e.stream_id)
        if (deal) quoteSent.add(deal)
      }
    }
  }

  // Past win rates from deals closed before the date only (smoothed toward 30 % with 5 deals).
  const repStats = new Map<string, [number, number]>()
  const teamStats = new Map<string, [number, number]>()
  const orgStats = new Map<string, [number, number]>()
  const add = (m: Map<string, [number, number]>, k: string | null, won: boolean) => {
    if (!k) return
    const s = m.get(k) ?? [0, 0]
    s[won ? 0 : 1]++
    m.set(k, s)
  }
  for (const s of deals.values()) {
    if (s.deleted || !s.closed) continue
    add(repStats, s.owner_id, s.closed === 'won')
    add(teamStats, s.owner_id ? teamOf(s.owner_id) : null, s.closed === 'won')
    add(orgStats, s.organisation_id, s.closed === 'won')
  }
  const rate = (st: [number, number] | undefined) => (st ? (st[0] + 1.5) / (st[0] + st[1] + 5) : 0.3)

  const byDeal = new Map<string, { kind: string; at: Date }[]>()
  for (const a of acts.values()) {
    if (a.deleted || !a.deal_id || a.at.getTime() > asOf.getTime()) continue
    const list = byDeal.get(a.deal_id) ?? []
    list.push(a)
    byDeal.set(a.deal_id, list)
  }
  const now = asOf.getTime()
  const out = new Map<string, DealFeatureRow>()
  for (const s of deals.values()) {
    if (s.deleted || s.closed) continue
    const org = orgs.get(s.organisation_id)
    const list = byDeal.get(s.id) ?? []
    const within = (days: number, kind?: string) => list.filter((a) => now - a.at.getTime() <= days * DAY && (!kind || a.kind === kind)).length
    const last = list.reduce((m, a) => Math.max(m, a.at.getTime()), -Infinity)
    const orgSt = orgStats.get(s.organisation_id)
    out.set(s.id, {
      sector: org?.sector ?? null,
      size: org?.size ?? null,
      region: s.region,
      org_age_days: org ? Math.floor((now - org.created.getTime()) / DAY) : null,
      source: s.source,
      category: s.category,
      amount_log: Math.log10(1 + s.amount_cents / 100),
      stage: s.stage,
      days_in_stage: Math.floor((now - s.stage_since.getTime()) / DAY),
      meetings_30d: within(30, 'meeting'),
      calls_30d: within(30, 'call'),
      emails_30d: within(30, 'email'),
      notes_30d: within(30, 'note'),
      activities_90d: within(90),
      days_since_contact: Number.isFinite(last) ? Math.floor((now - last) / DAY) : null,
      rep_win_rate: s.owner_id ? rate(repStats.get(s.owner_id)) : null,
      team_win_rate: s.owner_id && teamOf(s.owner_id) ? rate(teamStats.get(teamOf(s.owner_id)!)) : null,
      quote_sent: quoteSent.has(s.id) ? 1 : 0,
      org_won_before: orgSt?.[0] ?? 0,
      org_lost_before: orgSt?.[1] ?? 0,
      // Not a model input: the pipeline's own stage table, the comparison the page shows.
      stage_probability: s.stage_probability,
    })
  }
  return out
}
