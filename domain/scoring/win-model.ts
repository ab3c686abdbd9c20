import { contributions, margin, trainBoosted, type BoostParams, type Boosted } from './boosted-trees.js'
import { applyPlatt, fitPlatt, type Platt } from './calibration.js'
import { encodeBaselineRow, encodeRow, fitEncoder, type FeatureEncoder, type FeatureSpec, type RawValue } from './feature-encoder.js'
import { baselineProbability, trainBaseline } from './logistic-baseline.js'
import { allMetrics, reliabilityTable, type Metrics, type ReliabilityRow } from './metrics.js'
import { singleTreeProbability, trainSingleTree } from './single-tree.js'
import { timeSplit } from './time-split.js'

// The learning pipeline shared by the nightly training job and `npm run ml:evaluate`:
// encode (fitted on older rows) → boosted trees whose depth and round count are chosen on
// the newest 20 % of the training period → Platt calibration on that same newer slice.

export type Dataset = {
  specs: FeatureSpec[]
  column: (name: string) => RawValue[]
  y: ArrayLike<number> // 1 won, 0 lost
  order: ArrayLike<number> // when the row is known (creation or "as of" date), for time splits
}

export type WinModel = {
  version: 1
  encoder: FeatureEncoder
  boosted: Boosted
  platt: Platt
  params: Omit<BoostParams, 'maxRounds' | 'patience'> & { rounds: number }
}

export type Reason = { feature: string; points: number }
export type Prediction = { probability: number; reasons: Reason[] }

const DEPTHS = [3, 5]

export function trainWinModel(ds: Dataset, train: number[], seed = 42): WinModel {
  const trainOrder = train.map((i) => ds.order[i])
  const inner = timeSplit(trainOrder, 0.8)
  const innerTrain = inner.train.map((k) => train[k])
  const innerValid = inner.test.map((k) => train[k])
  const encoder = fitEncoder(ds.specs, ds.column, ds.y, innerTrain)
  const rows = rowsOf(ds, encoder)
  let best: { model: Boosted; rounds: number; validLoss: number; depth: number } | null = null
  for (const depth of DEPTHS) {
    const r = trainBoosted(rows, ds.y, innerTrain, innerValid, encoder.features.length, { maxDepth: depth, seed })
    if (!best || r.validLoss < best.validLoss) best = { ...r, depth }
  }
  const boosted = best!.model
  const platt = innerValid.length
    ? fitPlatt(
        innerValid.map((i) => margin(boosted, rows[i])),
        innerValid.map((i) => ds.y[i]),
      )
    : { a: 1, b: 0 }
  const { maxRounds: _m, patience: _p, ...rest } = { ...defaultParams(), maxDepth: best!.depth, seed }
  return { version: 1, encoder, boosted, platt, params: { ...rest, rounds: best!.rounds } }
}

function defaultParams() {
  return { learningRate: 0.1, maxDepth: 4, minLeaf: 30, subsample: 0.8, l2: 1, maxRounds: 300, patience: 30, seed: 42 }
}

const rowsOf = (ds: Dataset, enc: FeatureEncoder) => {
  const cols = new Map(enc.features.map((f) => [f.name, ds.column(f.name)]))
  return Array.from({ length: ds.y.length }, (_, i) => encodeRow(enc, (name) => cols.get(name)![i]))
}

export function winProbability(m: WinModel, x: Float64Array): number {
  return applyPlatt(m.platt, margin(m.boosted, x))
}

/**
 * The calibrated probability and each feature's share of it in percentage points:
 * tree-path contributions to the margin, scaled by the secant slope of the calibrated curve
 * between "no information" and this deal, so the points add up to (p − p₀) exactly.
 */
export function predictWithReasons(m: WinModel, value: (name: string) => RawValue): Prediction & { base: number } {
  const x = encodeRow(m.encoder, value)
  const { bias, byFeature } = contributions(m.boosted, x, m.encoder.features.length)
  const total = byFeature.reduce((s, v) => s + v, 0)
  const p0 = applyPlatt(m.platt, bias)
  const p = applyPlatt(m.platt, bias + total)
  const slope = Math.abs(total) > 1e-9 ? (p - p0) / total : m.platt.a * p * (1 - p)
  const reasons = m.encoder.features
    .map((f, j) => ({ feature: f.name, points: byFeature[j] * slope * 100 }))
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
  return { probability: p, base: p0, reasons }
}

export type Evaluation = {
  rows: number
  model: Metrics
  baseline: Metrics
  tree: Metrics
  reliability: ReliabilityRow[]
  baselineReliability: ReliabilityRow[]
  train: { rows: number; from: number; to: number }
  test: { rows: number; from: number; to: number }
  winModel: WinModel
}

/** Train on the oldest 80 %, measure on the newest 20 % — the figures the "Modèle" page and the CLI show. */
export function evaluateDataset(ds: Dataset, seed = 42): Evaluation {
  const { train, test } = timeSplit(ds.order, 0.8)
  const winModel = trainWinModel(ds, train, seed)
  const rows = rowsOf(ds, winModel.encoder)
  const yTest = test.map((i) => ds.y[i])
  const pModel = test.map((i) => winProbability(winModel, rows[i]))
  const cols = new Map(ds.specs.map((s) => [s.name, ds.column(s.name)]))
  const baseRow = (i: number) => encodeBaselineRow(winModel.encoder, (name) => cols.get(name)![i])
  const baseline = trainBaseline(
    train.map(baseRow),
    train.map((i) => ds.y[i]),
  )
  const pBase = test.map((i) => baselineProbability(baseline, baseRow(i)))
  const tree = trainSingleTree(rows, ds.y, train, winModel.encoder.features.length)
  const pTree = test.map((i) => singleTreeProbability(tree, rows[i]))
  const span = (idx: number[]) => ({ rows: idx.length, from: idx.length ? ds.order[idx[0]] : NaN, to: idx.length ? ds.order[idx[idx.length - 1]] : NaN })
  return {
    rows: ds.y.length,
    model: allMetrics(pModel, yTest),
    baseline: allMetrics(pBase, yTest),
    tree: allMetrics(pTree, yTest),
    reliability: reliabilityTable(pModel, yTest),
    baselineReliability: reliabilityTable(pBase, yTest),
    train: span(train),
    test: span(test),
    winModel,
  }
}
