// Evaluation figures shown on the "Modèle" page and printed by `npm run ml:evaluate`.
// Every function takes predicted probabilities `p` and outcomes `y` (1 = won, 0 = lost).

export type Metrics = { auc: number; brier: number; precision: number; recall: number; ece: number }
export type ReliabilityRow = { decile: number; count: number; predicted: number; observed: number }

/** Area under the ROC curve by ranks (ties get their mean rank); 0.5 when one class is missing. */
export function auc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = p.length
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b])
  let rankSumPos = 0
  let pos = 0
  for (let i = 0; i < n;) {
    let j = i
    while (j + 1 < n && p[idx[j + 1]] === p[idx[i]]) j++
    const meanRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++)
      if (y[idx[k]] === 1) {
        rankSumPos += meanRank
        pos++
      }
    i = j + 1
  }
  const neg = n - pos
  if (pos === 0 || neg === 0) return 0.5
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg)
}

export function brier(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2
  return p.length ? s / p.length : 0
}

/** Precision and recall of "predicted won" = p ≥ threshold. */
export function precisionRecall(p: ArrayLike<number>, y: ArrayLike<number>, threshold = 0.5): { precision: number; recall: number } {
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < p.length; i++) {
    if (p[i] >= threshold) {
      if (y[i] === 1) tp++
      else fp++
    } else if (y[i] === 1) fn++
  }
  return { precision: tp + fp ? tp / (tp + fp) : 0, recall: tp + fn ? tp / (tp + fn) : 0 }
}

/** Expected calibration error over 10 equal-width bins of predicted probability, weighted by bin size. */
export function ece(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): number {
  const sumP = new Float64Array(bins)
  const sumY = new Float64Array(bins)
  const count = new Float64Array(bins)
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i] * bins)))
    sumP[b] += p[i]
    sumY[b] += y[i]
    count[b]++
  }
  let e = 0
  for (let b = 0; b < bins; b++) if (count[b]) e += Math.abs(sumP[b] - sumY[b])
  return p.length ? e / p.length : 0
}

/** Predicted vs observed win rate per decile of predicted probability (equal-count groups). */
export function reliabilityTable(p: ArrayLike<number>, y: ArrayLike<number>): ReliabilityRow[] {
  const idx = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a] - p[b])
  const rows: ReliabilityRow[] = []
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * idx.length) / 10)
    const to = Math.floor(((d + 1) * idx.length) / 10)
    if (to <= from) continue
    let sp = 0
    let sy = 0
    for (let k = from; k < to; k++) {
      sp += p[idx[k]]
      sy += y[idx[k]]
    }
    rows.push({ decile: d + 1, count: to - from, predicted: sp / (to - from), observed: sy / (to - from) })
  }
  return rows
}

export function allMetrics(p: ArrayLike<number>, y: ArrayLike<number>, threshold = 0.5): Metrics {
  return { auc: auc(p, y), brier: brier(p, y), ...precisionRecall(p, y, threshold), ece: ece(p, y) }
}

export function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p[i]))
    s -= y[i] ? Math.log(q) : Math.log(1 - q)
  }
  return p.length ? s / p.length : 0
}
