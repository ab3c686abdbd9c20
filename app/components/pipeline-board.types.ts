// The pipeline board's data, shared by the board, its cards and the route that loads them.
export type BoardStage = { code: string; label: string; kind: 'open' | 'won' | 'lost'; probability: number }
export type BoardCardData = {
  id: string
  title: string
  stage: string
  version: number
  amount_cents: number
  probability: number
  expected_close_date: string | null
  organisation_name: string
  owner_name: string | null
  signed_quote: boolean
  canWrite: boolean
}
export type Totals = { count: number; amountCents: number; weightedCents: number }
/** `limit`: how many cards the column asked for; `more`: the link that shows the next page, when there is one. */
export type BoardColumns = Record<string, { totals: Totals; cards: BoardCardData[]; more: string | null }>
/** The action's answer to a drag (fetcher, `js=1`). */
export type MoveResult = { ok: true; dealId: string; stage: string } | { ok: false; dealId: string; error: string; field?: string }

export const moveKey = (dealId: string) => `move:${dealId}`
