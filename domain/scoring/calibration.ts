// Platt scaling: p = sigmoid(a·margin + b), fitted by Newton's method on a held-out
// (newer) slice so that "70 %" means 70 % on deals the trees did not learn from.
// Platt's smoothed targets keep the fit finite when one side is tiny.

export type Platt = { a: number; b: number }

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

export function fitPlatt(margin: ArrayLike<number>, y: ArrayLike<number>): Platt {
  let pos = 0
  for (let i = 0; i < y.length; i++) pos += y[i]
  const neg = y.length - pos
  const hi = (pos + 1) / (pos + 2)
  const lo = 1 / (neg + 2)
  let a = 1
  let b = 0
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0
    let gb = 0
    let haa = 1e-9
    let hab = 0
    let hbb = 1e-9
    for (let i = 0; i < margin.length; i++) {
      const t = y[i] ? hi : lo
      const p = sigmoid(a * margin[i] + b)
      const d = p - t
      const w = p * (1 - p)
      ga += d * margin[i]
      gb += d
      haa += w * margin[i] * margin[i]
      hab += w * margin[i]
      hbb += w
    }
    const det = haa * hbb - hab * hab
    if (!(Math.abs(det) > 1e-12)) break
    const da = (hbb * ga - hab * gb) / det
    const db = (haa * gb - hab * ga) / det
    a -= da
    b -= db
    if (Math.abs(da) + Math.abs(db) < 1e-9) break
  }
  return { a, b }
}

export const applyPlatt = (c: Platt, margin: number) => sigmoid(c.a * margin + c.b)
