import type { Dataset } from './win-model.js'
import { seededRandom } from './random.js'

/**
 * Opportunities whose true win probability is known: logit = 1.2·(activity − 2)/2 − 0.6·log10(amount/10k)
 * + sector effect + size order effect + a bump for a recent contact. Used by the calibration
 * test and the scoring bench; `trueP` is what a perfect model would say.
 */
export function syntheticDeals(n: number, seed = 7): Dataset & { trueP: Float64Array } {
  const r = seededRandom(seed)
  const sectors = ['Industrie', 'Santé', 'Commerce', 'Services', 'Public']
  const sectorEffect = [0.4, 0.1, -0.3, 0, -0.6]
  const sizes = ['Petite', 'Moyenne', 'Grande']
  const cols: Record<string, (string | number | null)[]> = { activities: [], amount: [], sector: [], size: [], days_since_contact: [], noise: [] }
  const y = new Uint8Array(n)
  const trueP = new Float64Array(n)
  const order = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const activities = Math.floor(-Math.log(1 - r()) * 2.5)
    const amount = Math.round(10 ** (3 + r() * 2.5))
    const s = Math.floor(r() * sectors.length)
    const size = Math.floor(r() * 3)
    const since = r() < 0.05 ? null : Math.floor(r() * 90)
    const logit =
      1.2 * ((Math.min(activities, 8) - 2) / 2) -
      0.6 * Math.log10(amount / 10_000) +
      sectorEffect[s] +
      0.3 * (size - 1) +
      (since !== null && since < 14 ? 0.5 : 0) -
      0.3
    trueP[i] = 1 / (1 + Math.exp(-logit))
    y[i] = r() < trueP[i] ? 1 : 0
    cols.activities.push(activities)
    cols.amount.push(amount)
    cols.sector.push(sectors[s])
    cols.size.push(sizes[size])
    cols.days_since_contact.push(since)
    cols.noise.push(Math.round(r() * 100))
    order[i] = i
  }
  return {
    specs: [
      { name: 'activities', kind: 'numeric' },
      { name: 'amount', kind: 'numeric' },
      { name: 'sector', kind: 'categorical' },
      { name: 'size', kind: sizes },
      { name: 'days_since_contact', kind: 'numeric' },
      { name: 'noise', kind: 'ordinal' },
    ],
    column: (name) => cols[name],
    y,
    order,
    trueP,
  }
}
