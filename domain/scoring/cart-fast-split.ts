import { DecisionTreeRegression } from 'ml-cart'

// ml-cart 2.1.1 searches splits by re-partitioning every row for every candidate value:
// quadratic in the rows (≈ 26 s for one depth-3 tree on 4k rows, hours on 60k). Our
// features are binned to small integers first (binning.ts), so a node's best split comes
// from one histogram per feature: counts, sums and sums of squares per bin, then a sweep.
// The patch replaces only `bestSplit` on ml-cart's node class; nodes, `train`, `predict`
// and JSON save/load stay the library's. Inputs that are not small non-negative integers
// fall back to the library's own search. cart-fast-split.test.ts checks both searches
// choose the same split. Pinned: ml-cart is "2.1.1" exactly in package.json's lock.

const MAX_BINS = 256

type SplitResult = { maxGain: number; maxColumn: number | undefined; maxValue: number | undefined; numberSamples: number | undefined }
type Rows = { rows: number; data: Float64Array[] }
type NodeProto = {
  kind: string
  minNumSamples: number
  bestSplit(this: NodeProto, XTranspose: Rows, y: number[]): SplitResult
}

let patched = false

export function useFastSplitSearch() {
  if (patched) return
  const probe = new DecisionTreeRegression({ maxDepth: 0 })
  probe.train([[0], [1]], [0, 1])
  const proto = Object.getPrototypeOf(probe.root) as NodeProto
  const original = proto.bestSplit
  proto.bestSplit = function (XTranspose, y) {
    if (this.kind !== 'regression') return original.call(this, XTranspose, y)
    return histogramSplit(XTranspose, y, Math.max(1, this.minNumSamples)) ?? original.call(this, XTranspose, y)
  }
  patched = true
}

const count = new Float64Array(MAX_BINS)
const sum = new Float64Array(MAX_BINS)
const sumSq = new Float64Array(MAX_BINS)

/** Lowest total squared error over "bin < t" splits leaving ≥ minSide rows on each side; null if the data are not binned. */
function histogramSplit(XT: Rows, y: number[], minSide: number): SplitResult | null {
  const n = y.length
  let totalSum = 0
  let totalSq = 0
  for (let i = 0; i < n; i++) {
    totalSum += y[i]
    totalSq += y[i] * y[i]
  }
  let best = Infinity
  let bestCol: number | undefined
  let bestVal: number | undefined
  for (let f = 0; f < XT.rows; f++) {
    const x = XT.data[f]
    let maxBin = 0
    for (let i = 0; i < n; i++) {
      const v = x[i]
      if (!(v >= 0 && v < MAX_BINS && (v | 0) === v)) return null
      if (v > maxBin) maxBin = v
    }
    count.fill(0, 0, maxBin + 1)
    sum.fill(0, 0, maxBin + 1)
    sumSq.fill(0, 0, maxBin + 1)
    for (let i = 0; i < n; i++) {
      const v = x[i]
      count[v]++
      sum[v] += y[i]
      sumSq[v] += y[i] * y[i]
    }
    let lc = 0
    let ls = 0
    let lq = 0
    let prev = -1
    for (let b = 0; b <= maxBin; b++) {
      if (count[b] === 0) continue
      if (prev >= 0 && lc >= minSide && n - lc >= minSide) {
        const rc = n - lc
        const rs = totalSum - ls
        const rq = totalSq - lq
        const err = lq - (ls * ls) / lc + (rq - (rs * rs) / rc)
        if (err < best - 1e-12) {
          best = err
          bestCol = f
          bestVal = (prev + b) / 2
        }
      }
      lc += count[b]
      ls += sum[b]
      lq += sumSq[b]
      prev = b
    }
  }
  // No admissible split: a threshold below every value sends all rows right, and ml-cart makes a leaf.
  if (bestCol === undefined) return { maxGain: Infinity, maxColumn: 0, maxValue: -Infinity, numberSamples: n }
  return { maxGain: Math.max(best, 0), maxColumn: bestCol, maxValue: bestVal, numberSamples: n }
}
