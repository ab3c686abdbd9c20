import { DecisionTreeRegression, type CartNode } from 'ml-cart'
import { binEdges, binOf } from './binning.js'
import { useFastSplitSearch } from './cart-fast-split.js'
import { logLoss } from './metrics.js'
import { seededRandom } from './random.js'
import { sigmoid } from './calibration.js'

// Gradient-boosted regression trees with log-loss, each round an ml-cart
// DecisionTreeRegression fitted to the negative gradient (y − p) on binned features,
// then given Newton leaf values Σg / (Σh + λ) and shrunk by the learning rate.
// Trees are kept flat (arrays) with thresholds on raw values: walking them is ≈ 10 µs a deal.

export type FlatTree = {
  feature: number[] // -1 on a leaf
  threshold: number[] // go left when x < threshold
  left: number[]
  right: number[]
  value: number[] // leaf output; on an inner node, the cover-weighted mean of its leaves (for reasons)
}

export type BoostParams = {
  learningRate: number
  maxDepth: number
  minLeaf: number
  subsample: number
  l2: number
  maxRounds: number
  patience: number
  seed: number
}
export const DEFAULT_BOOST: BoostParams = { learningRate: 0.1, maxDepth: 4, minLeaf: 30, subsample: 0.8, l2: 1, maxRounds: 300, patience: 30, seed: 42 }

export type Boosted = { base: number; trees: FlatTree[] }

/** Raw feature rows (missing = -Infinity) → bin indices per feature, edges fitted on `rows`. */
export function fitBins(rows: Float64Array[], featureCount: number, maxBins = 32): number[][] {
  const edges: number[][] = []
  const col = new Float64Array(rows.length)
  for (let f = 0; f < featureCount; f++) {
    for (let i = 0; i < rows.length; i++) col[i] = rows[i][f]
    edges.push(binEdges(col, maxBins))
  }
  return edges
}

const binRow = (edges: number[][], x: Float64Array) => edges.map((e, f) => binOf(e, x[f]))

/** ml-cart's node tree (thresholds on bins) → flat tree with thresholds on raw values. */
export function flatten(root: CartNode, edges: number[][] | null, leafValue: (n: CartNode) => number): FlatTree {
  const t: FlatTree = { feature: [], threshold: [], left: [], right: [], value: [] }
  const visit = (node: CartNode): number => {
    const id = t.feature.length
    t.feature.push(-1)
    t.threshold.push(0)
    t.left.push(-1)
    t.right.push(-1)
    t.value.push(0)
    if (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined && Number.isFinite(node.splitValue)) {
      const f = node.splitColumn
      t.feature[id] = f
      // bin < splitValue ⟺ bin ≤ k ⟺ x < edges[f][k]
      t.threshold[id] = edges ? (edges[f][Math.ceil(node.splitValue) - 1] ?? Infinity) : node.splitValue
      t.left[id] = visit(node.left)
      t.right[id] = visit(node.right)
    } else t.value[id] = leafValue(node)
    return id
  }
  visit(root)
  return t
}

export function leafOf(t: FlatTree, x: ArrayLike<number>): number {
  let n = 0
  while (t.feature[n] >= 0) n = x[t.feature[n]] < t.threshold[n] ? t.left[n] : t.right[n]
  return n
}

export function margin(m: Boosted, x: ArrayLike<number>): number {
  let s = m.base
  for (const t of m.trees) s += t.value[leafOf(t, x)]
  return s
}

/**
 * Per-feature contributions to the margin along each tree's path (Saabas): exactly additive,
 * bias + Σ contributions = margin. `bias` is what the model says before looking at the deal.
 */
export function contributions(m: Boosted, x: ArrayLike<number>, featureCount: number): { bias: number; byFeature: Float64Array } {
  const byFeature = new Float64Array(featureCount)
  let bias = m.base
  for (const t of m.trees) {
    let n = 0
    bias += t.value[0]
    while (t.feature[n] >= 0) {
      const next = x[t.feature[n]] < t.threshold[n] ? t.left[n] : t.right[n]
      byFeature[t.feature[n]] += t.value[next] - t.value[n]
      n = next
    }
  }
  return { bias, byFeature }
}

/** Newton leaf values and cover-weighted inner values, from the rows the tree was grown on. */
function setLeafValues(t: FlatTree, rows: Float64Array[], idx: number[], g: Float64Array, h: Float64Array, p: BoostParams) {
  const G = new Float64Array(t.feature.length)
  const H = new Float64Array(t.feature.length)
  const C = new Float64Array(t.feature.length)
  for (const i of idx) {
    const leaf = leafOf(t, rows[i])
    G[leaf] += g[i]
    H[leaf] += h[i]
    C[leaf]++
  }
  const fill = (n: number): [number, number] => {
    if (t.feature[n] < 0) {
      t.value[n] = (p.learningRate * G[n]) / (H[n] + p.l2)
      return [t.value[n] * C[n], C[n]]
    }
    const [ls, lc] = fill(t.left[n])
    const [rs, rc] = fill(t.right[n])
    t.value[n] = lc + rc ? (ls + rs) / (lc + rc) : 0
    return [ls + rs, lc + rc]
  }
  fill(0)
}

/**
 * Trains on `train` rows, stopping when the log-loss on `valid` rows (newer deals) has not
 * improved for `patience` rounds; keeps the best round count. Deterministic for a seed.
 */
export function trainBoosted(
  rows: Float64Array[],
  y: ArrayLike<number>,
  train: number[],
  valid: number[],
  featureCount: number,
  params: Partial<BoostParams> = {},
): { model: Boosted; rounds: number; validLoss: number } {
  useFastSplitSearch()
  const p = { ...DEFAULT_BOOST, ...params }
  const rand = seededRandom(p.seed)
  const edges = fitBins(
    train.map((i) => rows[i]),
    featureCount,
  )
  const binned = new Map<number, number[]>()
  for (const i of train) binned.set(i, binRow(edges, rows[i]))
  let pos = 0
  for (const i of train) pos += y[i]
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, (pos + 0.5) / (train.length + 1)))
  const model: Boosted = { base: Math.log(rate / (1 - rate)), trees: [] }
  const m = new Float64Array(rows.length).fill(model.base)
  const g = new Float64Array(rows.length)
  const h = new Float64Array(rows.length)
  const validY = valid.map((i) => y[i])
  const lossOf = () =>
    logLoss(
      valid.map((i) => sigmoid(m[i])),
      validY,
    )
  let best = valid.length ? lossOf() : Infinity
  let bestRounds = 0
  for (let round = 0; round < p.maxRounds; round++) {
    for (const i of train) {
      const q = sigmoid(m[i])
      g[i] = y[i] - q
      h[i] = q * (1 - q)
    }
    const sample = train.filter(() => rand() < p.subsample)
    const cart = new DecisionTreeRegression({ maxDepth: p.maxDepth, minNumSamples: p.minLeaf })
    cart.train(
      sample.map((i) => binned.get(i)!),
      sample.map((i) => g[i]),
    )
    const tree = flatten(cart.root, edges, () => 0)
    setLeafValues(tree, rows, sample, g, h, p)
    model.trees.push(tree)
    for (const i of train) m[i] += tree.value[leafOf(tree, rows[i])]
    for (const i of valid) m[i] += tree.value[leafOf(tree, rows[i])]
    if (!valid.length) {
      bestRounds = model.trees.length
      continue
    }
    const loss = lossOf()
    if (loss < best - 1e-7) {
      best = loss
      bestRounds = model.trees.length
    } else if (model.trees.length - bestRounds >= p.patience) break
  }
  model.trees.length = bestRounds
  return { model, rounds: bestRounds, validLoss: best }
}
