// ml-cart and ml-logistic-regression ship no types; only what domain/scoring uses is declared.
declare module 'ml-cart' {
  export interface DecisionTreeRegressionOptions {
    gainFunction?: 'regression'
    splitFunction?: 'mean'
    minNumSamples?: number
    maxDepth?: number
  }
  export interface CartNode {
    splitColumn?: number
    splitValue?: number
    distribution?: unknown
    left?: CartNode
    right?: CartNode
  }
  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeRegressionOptions)
    root: CartNode
    train(trainingSet: ArrayLike<number>[] | number[][], trainingValues: ArrayLike<number>): void
    predict(toPredict: number[][]): number[]
    toJSON(): object
    static load(model: object): DecisionTreeRegression
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix'
  interface TwoClasses {
    weights: Matrix | null
    train(features: Matrix, target: Matrix): void
    testScores(features: Matrix): number[]
  }
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number })
    classifiers: TwoClasses[]
    train(X: Matrix, Y: Matrix): void
    predict(X: Matrix): number[]
    static load(model: object): LogisticRegression
  }
}
