// Numbers become at most `maxBins` equal-count bins before the trees see them: the split
// search then works on histograms (cart-fast-split.ts) and loses nothing measurable.
// bin(x) = number of edges ≤ x, so "bin ≤ k" is exactly "x < edges[k]": trees trained on
// bins are turned back into thresholds on raw values for prediction.
// Missing values are -Infinity: they fall in the lowest bin (own bin when there is room).

export function binEdges(values: ArrayLike<number>, maxBins = 32): number[] {
  const sorted = Float64Array.from(values).sort()
  const n = sorted.length
  if (n === 0) return []
  const unique: number[] = []
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique.push(sorted[i])
  if (unique.length <= maxBins) return unique.slice(1)
  const edges: number[] = []
  // Keep "missing" apart from the smallest real value when there are both.
  if (unique[0] === -Infinity) edges.push(unique[1])
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.floor((q * n) / maxBins)]
    if (v > unique[0] && (edges.length === 0 || v > edges[edges.length - 1])) edges.push(v)
  }
  return edges
}

export function binOf(edges: number[], x: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (edges[mid] <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}
