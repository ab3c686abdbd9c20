import { DecisionTreeRegression } from 'ml-cart'
import { describe, expect, it } from 'vitest'
import { contributions, trainBoosted } from './boosted-trees.js'
import { encodeRow } from './feature-encoder.js'
import { auc, ece, reliabilityTable } from './metrics.js'
import { seededRandom } from './random.js'
import { syntheticDeals } from './synthetic.js'
import { timeSplit } from './time-split.js'
import { evaluateDataset, predictWithReasons, trainWinModel } from './win-model.js'

describe('win model on deals whose true probability is known', () => {
  const ds = syntheticDeals(12_000)
  const ev = evaluateDataset(ds)
  const test = timeSplit(ds.order, 0.8).test

  it('is calibrated on the newer deals it never saw (ECE ≤ 0.03)', () => {
    expect(ev.model.ece).toBeLessThanOrEqual(0.03)
    for (const row of ev.reliability) expect(Math.abs(row.predicted - row.observed)).toBeLessThan(0.1)
  })

  it('ranks nearly as well as the true probabilities and beats a single tree', () => {
    const ideal = auc(
      test.map((i) => ds.trueP[i]),
      test.map((i) => ds.y[i]),
    )
    expect(ev.model.auc).toBeGreaterThan(ideal - 0.03)
    expect(ev.model.auc).toBeGreaterThan(ev.tree.auc)
    expect(ev.baseline.auc).toBeGreaterThan(0.6)
  })

  it('explains a prediction with points that add up to its distance from the base rate', () => {
    const pred = predictWithReasons(ev.winModel, (name) => ds.column(name)[test[0]])
    const sum = pred.reasons.reduce((s, r) => s + r.points, 0)
    expect(pred.base * 100 + sum).toBeCloseTo(pred.probability * 100, 6)
    // The pure-noise column never leads the reasons on average.
    const top = test.slice(0, 200).map((i) => predictWithReasons(ev.winModel, (name) => ds.column(name)[i]).reasons[0].feature)
    expect(top.filter((f) => f === 'noise').length).toBeLessThan(20)
  })
})

describe('training discipline', () => {
  const ds = syntheticDeals(3_000, 11)

  it('trains the same model twice with the same seed', () => {
    const train = timeSplit(ds.order).train
    expect(JSON.stringify(trainWinModel(ds, train, 5))).toBe(JSON.stringify(trainWinModel(ds, train, 5)))
  })

  it('never puts a test row before a training row, ties included', () => {
    const order = [5, 1, 3, 3, 3, 2, 9, 8, 3, 7]
    const { train, test } = timeSplit(order, 0.5)
    expect(Math.max(...train.map((i) => order[i]))).toBeLessThan(Math.min(...test.map((i) => order[i])))
    expect(train.length + test.length).toBe(order.length)
  })

  it('fits encodings on older rows only: a category seen only in the test period is unknown to the model', () => {
    const sector = [...ds.column('sector')]
    const { train, test } = timeSplit(ds.order)
    for (const i of test) sector[i] = 'Nouveau secteur'
    const model = trainWinModel({ ...ds, column: (n) => (n === 'sector' ? sector : ds.column(n)) }, train)
    const enc = model.encoder.features.find((f) => f.name === 'sector')
    expect(enc?.type === 'category' && Object.keys(enc.rates)).not.toContain('Nouveau secteur')
  })

  it('keeps contributions exactly additive to the margin', () => {
    const { train } = timeSplit(ds.order)
    const rows = Array.from({ length: 3000 }, (_, i) => Float64Array.from([Number(ds.column('activities')[i]), Number(ds.column('amount')[i])]))
    const { model } = trainBoosted(rows, ds.y, train, [], 2, { maxRounds: 20 })
    const c = contributions(model, rows[0], 2)
    let m = model.base
    for (const t of model.trees) {
      let n = 0
      while (t.feature[n] >= 0) n = rows[0][t.feature[n]] < t.threshold[n] ? t.left[n] : t.right[n]
      m += t.value[n]
    }
    expect(c.bias + c.byFeature[0] + c.byFeature[1]).toBeCloseTo(m, 10)
    expect(encodeRow).toBeTypeOf('function')
  })
})

describe('metrics', () => {
  it('gives AUC 1 for a perfect ranking, 0.5 for ties, ECE 0 for exact rates', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1)
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5)
    expect(ece([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0)
    expect(reliabilityTable([0.1, 0.9], [0, 1]).length).toBe(2)
  })
})

describe('the histogram split search patched into ml-cart', () => {
  it('chooses the split of least squared error, as an exhaustive search does', () => {
    const r = seededRandom(3)
    const X = Array.from({ length: 300 }, () => [Math.floor(r() * 10), Math.floor(r() * 5)])
    const y = X.map(([a, b]) => (a > 6 ? 1 : 0) + 0.3 * b + r() * 0.1)
    // Exhaustive search written out: every column, every midpoint between observed values.
    const sse = (v: number[]) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length
      return v.reduce((s, x) => s + (x - m) ** 2, 0)
    }
    let best = { err: Infinity, col: -1, val: 0 }
    for (const col of [0, 1])
      for (let t = 0.5; t < 10; t++) {
        const l = y.filter((_, i) => X[i][col] < t)
        const g = y.filter((_, i) => X[i][col] >= t)
        if (!l.length || !g.length) continue
        const err = sse(l) + sse(g)
        if (err < best.err) best = { err, col, val: t }
      }
    trainBoosted([Float64Array.from([0])], [0], [0], [], 1, { maxRounds: 0 }) // installs the patch
    const tree = new DecisionTreeRegression({ maxDepth: 1, minNumSamples: 1 })
    tree.train(X, y)
    expect([tree.root.splitColumn, tree.root.splitValue]).toEqual([best.col, best.val])
  })
})
