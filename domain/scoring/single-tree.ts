import { DecisionTreeRegression } from 'ml-cart'
import { fitBins, flatten, leafOf, type FlatTree } from './boosted-trees.js'
import { binOf } from './binning.js'
import { useFastSplitSearch } from './cart-fast-split.js'

// One ml-cart regression tree on the 0/1 outcome: its leaves are win rates. Shown beside
// the boosted model for comparison only (what one tree alone gets).

export function trainSingleTree(rows: Float64Array[], y: ArrayLike<number>, train: number[], featureCount: number, maxDepth = 5, minLeaf = 50): FlatTree {
  useFastSplitSearch()
  const edges = fitBins(
    train.map((i) => rows[i]),
    featureCount,
  )
  const cart = new DecisionTreeRegression({ maxDepth, minNumSamples: minLeaf })
  cart.train(
    train.map((i) => edges.map((e, f) => binOf(e, rows[i][f]))),
    train.map((i) => y[i]),
  )
  return flatten(cart.root, edges, (n) => Math.min(0.999, Math.max(0.001, Number(n.distribution))))
}

export const singleTreeProbability = (t: FlatTree, x: ArrayLike<number>) => t.value[leafOf(t, x)]
