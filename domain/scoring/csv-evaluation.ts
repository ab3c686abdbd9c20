import { readCsv } from '../crm/import/csv.js'
import type { FeatureKind, FeatureSpec } from './feature-encoder.js'
import { auc, type Metrics } from './metrics.js'
import { timeSplit } from './time-split.js'
import { evaluateDataset } from './win-model.js'

// `npm run ml:evaluate`: the same learning pipeline as the product, on any CSV of
// opportunities described by a portable mapping (its shape is fixed by issue 19 so that a
// mapping written for one export works for another tool's). Pure: bytes in, result out.

export type Mapping = {
  outcome: { column: string; won: string; lost: string }
  order: string
  features: Record<string, FeatureKind>
  after_close?: string[]
}

export type CsvEvaluation = { rows: number; model: Metrics; baseline: Metrics; leaks: { column: string; auc: number }[] }

export class MappingError extends Error {}

const KINDS = ['numeric', 'ordinal', 'categorical']

/** Checks the mapping's shape; every problem is a French sentence naming the field. */
export function parseMapping(json: unknown): Mapping {
  const m = json as Record<string, unknown>
  const fail = (msg: string): never => {
    throw new MappingError(`Correspondance invalide : ${msg}`)
  }
  if (!m || typeof m !== 'object') fail('un objet JSON est attendu')
  const o = m.outcome as Record<string, unknown> | undefined
  if (!o || typeof o.column !== 'string' || typeof o.won !== 'string' || typeof o.lost !== 'string')
    fail('"outcome" doit donner "column", "won" et "lost" (textes)')
  if (o!.won === o!.lost) fail('"won" et "lost" doivent différer')
  if (typeof m.order !== 'string' || !m.order) fail('"order" doit nommer la colonne qui date chaque ligne')
  if (!m.features || typeof m.features !== 'object' || Array.isArray(m.features) || !Object.keys(m.features).length)
    fail('"features" doit associer au moins une colonne à un type')
  for (const [col, kind] of Object.entries(m.features as Record<string, unknown>)) {
    const ok = (typeof kind === 'string' && KINDS.includes(kind)) || (Array.isArray(kind) && kind.length > 0 && kind.every((l) => typeof l === 'string'))
    if (!ok) fail(`type inconnu pour "${col}" (numeric, ordinal, categorical ou une liste ordonnée de libellés)`)
  }
  const after = m.after_close ?? []
  if (!Array.isArray(after) || !after.every((c) => typeof c === 'string')) fail('"after_close" doit être une liste de colonnes')
  const features = m.features as Record<string, FeatureKind>
  const both = (after as string[]).filter((c) => c in features || c === (m.order as string))
  if (both.length) fail(`colonne(s) à la fois connue(s) après la clôture et utilisée(s) : ${both.join(', ')}`)
  const outcome = o as Mapping['outcome']
  if (outcome.column in features) fail(`la colonne du résultat "${outcome.column}" ne peut pas être une variable`)
  return { outcome, order: m.order as string, features, after_close: after as string[] }
}

/** ISO date (with or without time), dd/mm/yyyy (optionally with a time), or a plain number. */
export function parseOrder(v: string): number {
  const s = v.trim()
  if (!s) return NaN
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s)
  if (fr) {
    const [, d, mo, y, h = '0', mi = '0', se = '0'] = fr
    const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se)
    return new Date(t).getUTCDate() === +d ? t : NaN
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)
  const n = Number(s.replace(',', '.'))
  return Number.isFinite(n) ? n : NaN
}

const round = (m: Metrics): Metrics => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v * 10_000) / 10_000])) as Metrics

/** Rows must mostly parse; warnings (stderr) say what was left out and why. */
export function evaluateCsv(bytes: Uint8Array, mapping: Mapping, warn: (msg: string) => void = () => {}): CsvEvaluation {
  const table = readCsv(bytes)
  const headers = table.headers.map((h) => h.trim())
  const after = new Set(mapping.after_close ?? [])
  const needed = [mapping.outcome.column, mapping.order, ...Object.keys(mapping.features)]
  const missing = needed.filter((c) => !headers.includes(c))
  if (missing.length) throw new MappingError(`Colonne(s) absente(s) du fichier : ${missing.join(', ')} (colonnes lues : ${headers.join(', ')})`)
  const at = (c: string) => headers.indexOf(c)
  const outIdx = at(mapping.outcome.column)
  const ordIdx = at(mapping.order)
  const kept: string[][] = []
  const y: number[] = []
  const order: number[] = []
  let otherOutcome = 0
  let badOrder = 0
  for (const r of table.rows) {
    const out = (r[outIdx] ?? '').trim()
    const label = out === mapping.outcome.won ? 1 : out === mapping.outcome.lost ? 0 : -1
    if (label < 0) {
      otherOutcome++
      continue
    }
    const t = parseOrder(r[ordIdx] ?? '')
    if (Number.isNaN(t)) {
      badOrder++
      continue
    }
    kept.push(r)
    y.push(label)
    order.push(t)
  }
  if (otherOutcome) warn(`${otherOutcome} ligne(s) ni "${mapping.outcome.won}" ni "${mapping.outcome.lost}" : écartées.`)
  if (badOrder) warn(`${badOrder} ligne(s) sans date ou numéro lisible dans "${mapping.order}" : écartées.`)
  const wins = y.reduce((s, v) => s + v, 0)
  if (kept.length < 50 || wins < 5 || kept.length - wins < 5)
    throw new MappingError(`Trop peu de lignes exploitables (${kept.length}, dont ${wins} gagnées) pour entraîner et tester un modèle.`)
  const specs: FeatureSpec[] = Object.entries(mapping.features).map(([name, kind]) => ({ name, kind }))
  const colCache = new Map<string, string[]>()
  const column = (name: string) => {
    let c = colCache.get(name)
    if (!c) colCache.set(name, (c = kept.map((r) => r[at(name)] ?? '')))
    return c
  }
  const ev = evaluateDataset({ specs, column, y, order })
  // Columns known only after the close are never read, not even screened.
  const screened = headers.filter((h) => h !== mapping.outcome.column && h !== mapping.order && !after.has(h))
  const leaks = screenLeaks(screened, column, y, order)
  for (const l of leaks)
    warn(
      `La colonne "${l.column}" prédit presque parfaitement le résultat à elle seule (AUC ${l.auc.toFixed(3)}) : probablement remplie après la clôture. Ajoutez-la à "after_close" si c’est le cas.`,
    )
  if (ev.model.auc < ev.baseline.auc) warn('Le modèle à arbres ne fait pas mieux que la régression logistique sur ces données.')
  return { rows: kept.length, model: round(ev.model), baseline: round(ev.baseline), leaks }
}

/**
 * Each column alone, fitted on the older 80 % and measured on the newer 20 %: values as
 * numbers when they all are, else the win rate of each value (empty included — "filled in
 * only when won" is the classic leak). AUC ≥ 0.95 (either direction) is flagged.
 */
export function screenLeaks(
  columns: string[],
  column: (name: string) => string[],
  y: number[],
  order: number[],
  limit = 0.95,
): { column: string; auc: number }[] {
  const { train, test } = timeSplit(order)
  const out: { column: string; auc: number }[] = []
  for (const name of columns) {
    const v = column(name)
    const numeric = v.every((s) => s.trim() === '' || Number.isFinite(Number(s.replace(',', '.'))))
    let score: number[]
    if (numeric && v.some((s) => s.trim() !== '')) score = test.map((i) => (v[i].trim() === '' ? -Infinity : Number(v[i].replace(',', '.'))))
    else {
      const stats = new Map<string, [number, number]>()
      for (const i of train) {
        const st = stats.get(v[i].trim()) ?? [0, 0]
        st[0] += y[i]
        st[1]++
        stats.set(v[i].trim(), st)
      }
      score = test.map((i) => {
        const st = stats.get(v[i].trim())
        return st ? (st[0] + 0.5) / (st[1] + 1) : 0.5
      })
    }
    const a = auc(
      score,
      test.map((i) => y[i]),
    )
    const strength = Math.max(a, 1 - a)
    if (strength >= limit) out.push({ column: name, auc: Math.round(strength * 10_000) / 10_000 })
  }
  return out
}
