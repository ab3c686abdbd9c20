import LogisticRegression from 'ml-logistic-regression'
import { Matrix } from 'ml-matrix'

// The baseline every boosted model must beat: ml-logistic-regression on standardised
// inputs (feature-encoder.ts), intercept as the first column. The library does batch
// gradient ascent on the summed gradient, so the step is scaled by 1/n; with two classes
// it would train one classifier per class — we train its two-class classifier once.

export type Baseline = { weights: number[] }

export function trainBaseline(X: number[][], y: ArrayLike<number>, steps = 300): Baseline {
  if (X.length === 0) return { weights: [] }
  const lr = LogisticRegression.load({
    name: 'LogisticRegression',
    numberClasses: 1,
    classifiers: [{ numSteps: steps, learningRate: 2 / X.length, weights: null }],
  })
  const two = lr.classifiers[0]
  two.train(new Matrix(X), Matrix.columnVector(Array.from(y)))
  return { weights: two.weights!.to1DArray() }
}

export function baselineProbability(b: Baseline, x: number[]): number {
  let z = 0
  for (let j = 0; j < b.weights.length; j++) z += b.weights[j] * x[j]
  return 1 / (1 + Math.exp(-z))
}
