// Turns a table of named raw features into numeric rows, fitted on the TRAINING rows only
// (category win rates, label orders, means for the baseline) so that nothing of the test
// period leaks into the encoding. The encoder is plain JSON: it is saved with the model.

export type FeatureKind = 'numeric' | 'ordinal' | 'categorical' | string[]
export type FeatureSpec = { name: string; kind: FeatureKind }
export type RawValue = string | number | null | undefined

type Encoded =
  | { name: string; type: 'number' }
  | { name: string; type: 'labels'; labels: string[] }
  | { name: string; type: 'category'; rates: Record<string, number>; prior: number; top: string[] }

export type FeatureEncoder = { features: Encoded[]; baseline: { mean: number[]; sd: number[] } }

/** "1 234,5" / "1234.5" / "12 %" → number; anything else → NaN. */
export function parseNumber(v: RawValue): number {
  if (typeof v === 'number') return v
  if (v === null || v === undefined) return NaN
  let s = String(v).replace(/[\s\u00a0\u202f€%]/g, '')
  if (s === '') return NaN
  if (s.includes(',') && !s.includes('.')) s = s.replace(',', '.')
  else if (s.includes(',') && s.includes('.')) s = s.replace(/,/g, '')
  const n = Number(s)
  return Number.isFinite(n) ? n : NaN
}

const categoryKey = (v: RawValue) => (v === null || v === undefined ? '' : String(v).trim())
const labelKey = (v: RawValue) => categoryKey(v).toLocaleLowerCase('fr')

function rawToNumber(e: Encoded, v: RawValue): number {
  if (e.type === 'number') {
    const n = parseNumber(v)
    return Number.isNaN(n) ? -Infinity : n
  }
  if (e.type === 'labels') {
    const i = e.labels.indexOf(labelKey(v))
    return i < 0 ? -Infinity : i
  }
  return e.rates[categoryKey(v)] ?? e.prior
}

export function fitEncoder(specs: FeatureSpec[], column: (name: string) => RawValue[], y: ArrayLike<number>, train: number[]): FeatureEncoder {
  let wins = 0
  for (const i of train) wins += y[i]
  const prior = train.length ? wins / train.length : 0.5
  const features: Encoded[] = specs.map((s) => {
    if (Array.isArray(s.kind)) return { name: s.name, type: 'labels', labels: s.kind.map(labelKey) }
    if (s.kind !== 'categorical') return { name: s.name, type: 'number' }
    const values = column(s.name)
    const stats = new Map<string, [number, number]>()
    for (const i of train) {
      const k = categoryKey(values[i])
      const st = stats.get(k) ?? [0, 0]
      st[0] += y[i]
      st[1]++
      stats.set(k, st)
    }
    // Smoothed toward the overall rate: a category seen twice does not get 0 % or 100 %.
    const rates: Record<string, number> = {}
    for (const [k, [w, n]] of stats) rates[k] = (w + 10 * prior) / (n + 10)
    const top = [...stats.entries()]
      .sort((a, b) => b[1][1] - a[1][1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 30)
      .map(([k]) => k)
    return { name: s.name, type: 'category', rates, prior, top }
  })
  const enc: FeatureEncoder = { features, baseline: { mean: [], sd: [] } }
  // Standardisation of the baseline's numeric inputs, on training rows.
  const rows = train.map((i) => encodeBaselineUnscaled(enc, (name) => column(name)[i]))
  const width = rows[0]?.length ?? 0
  for (let j = 0; j < width; j++) {
    let s = 0
    let q = 0
    for (const r of rows) {
      s += r[j]
      q += r[j] * r[j]
    }
    const mean = rows.length ? s / rows.length : 0
    const sd = Math.sqrt(Math.max(0, rows.length ? q / rows.length - mean * mean : 0))
    enc.baseline.mean.push(mean)
    enc.baseline.sd.push(sd > 1e-12 ? sd : 1)
  }
  return enc
}

/** One row for the trees (missing = -Infinity). */
export function encodeRow(enc: FeatureEncoder, value: (name: string) => RawValue): Float64Array {
  const out = new Float64Array(enc.features.length)
  enc.features.forEach((e, f) => (out[f] = rawToNumber(e, value(e.name))))
  return out
}

// The logistic baseline needs linear inputs: numbers (missing → mean, plus a "missing" flag),
// one-hot for the 30 most frequent categories.
function encodeBaselineUnscaled(enc: FeatureEncoder, value: (name: string) => RawValue): number[] {
  const out: number[] = []
  for (const e of enc.features) {
    if (e.type === 'category') {
      const k = categoryKey(value(e.name))
      for (const t of e.top) out.push(k === t ? 1 : 0)
    } else {
      const x = rawToNumber(e, value(e.name))
      const finite = Number.isFinite(x)
      // Amounts and counts are skewed: a signed log keeps one huge deal from dominating.
      out.push(finite ? Math.sign(x) * Math.log1p(Math.abs(x)) : 0, finite ? 0 : 1)
    }
  }
  return out
}

export function encodeBaselineRow(enc: FeatureEncoder, value: (name: string) => RawValue): number[] {
  const raw = encodeBaselineUnscaled(enc, value)
  return [1, ...raw.map((v, j) => (v - enc.baseline.mean[j]) / enc.baseline.sd[j])]
}
