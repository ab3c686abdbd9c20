import { describe, expect, it } from 'vitest'
import { type DealFactRow, foldDealFacts } from './deal-facts.projection.js'
import { dealRollups } from './deal-rollups.js'
import type { RollupSpec } from './rollup.js'
import { DEAL, event, ORG, OWNER, WS } from './testing/deal-events.js'

// A rollup's `unchanged(before, after)` lets the projector skip a transition without
// summing either side (projections/rollup.ts). It must never say "unchanged" when the
// contributions differ: here, over many random deal histories, every transition it
// skips has the same cells and values on both sides.

/** A deterministic PRNG (mulberry32): the same histories on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const STAGES = [
  ['PROSPECT', 10],
  ['QUALIFICATION', 25],
  ['PROPOSITION', 50],
  // Same probability as the stage before: only the stage differs.
  ['NEGOCIATION', 50],
  ['SIGNE', 100],
  ['PERDU', 0],
] as const

function contributions(spec: RollupSpec<DealFactRow>, row: DealFactRow): Map<string, number[]> {
  const cells = new Map<string, number[]>()
  spec.contributions(row, (key, values) => {
    const id = key.join('|')
    const sum = cells.get(id) ?? values.map(() => 0)
    cells.set(
      id,
      sum.map((v, i) => v + values[i]),
    )
  })
  return cells
}

describe('deal rollups: the unchanged shortcut', () => {
  it('skips only transitions whose contributions are equal on both sides', () => {
    const random = prng(7)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]
    let skipped = 0
    for (let deal = 0; deal < 300; deal++) {
      const t0 = Date.UTC(2026, 2, 1, 8) + deal * 3_600_000
      let day = 0
      const at = () => new Date(t0 + (day += random() < 0.5 ? 0 : 1) * 86_400_000 + Math.floor(random() * 80_000_000)).toISOString()
      let amount = 100_000 + deal
      let stage: string = 'PROSPECT'
      let row = foldDealFacts(
        null,
        event(1, 'DealCreated', {
          id: DEAL,
          workspace_id: WS,
          at: at(),
          stage,
          probability: 10,
          title: `Affaire ${deal}`,
          organisation_id: ORG,
          amount_cents: amount,
          owner_id: OWNER,
          category: pick(['Service', 'Licence', null]),
          region: pick(['Bretagne', null]),
        }),
      )
      for (let v = 2; v <= 12; v++) {
        const r = random()
        const e =
          r < 0.45
            ? (() => {
                const [to, probability] = pick(STAGES)
                const from = stage
                stage = to
                const closed = to === 'SIGNE' || to === 'PERDU'
                return event(v, 'DealStageChanged', {
                  id: DEAL,
                  at: at(),
                  from,
                  to,
                  probability,
                  amount_cents: amount,
                  lost_reason: to === 'PERDU' ? 'Prix' : null,
                  closed,
                })
              })()
            : r < 0.75
              ? event(v, 'DealUpdated', {
                  id: DEAL,
                  at: at(),
                  changes: random() < 0.7 ? { amount_cents: (amount += pick([0, 10_000])) } : { title: `Renommée ${v}`, owner_id: pick([OWNER, null]) },
                })
              : r < 0.8
                ? event(v, 'DealDeleted', { id: DEAL, at: at() })
                : event(v, 'DealNoteAdded', { id: DEAL, at: at() })
        const before = row!
        row = foldDealFacts(before, e)
        for (const spec of dealRollups) {
          if (!spec.unchanged?.(before, row!)) continue
          skipped++
          expect(contributions(spec, row!), `${spec.table} after ${e.type} v${v} of deal ${deal}`).toEqual(contributions(spec, before))
        }
        if (row!.deleted) break
      }
    }
    // The property was exercised, not vacuously true.
    expect(skipped).toBeGreaterThan(500)
  })
})
