import { type Condition, type ConditionGroup, isGroup } from '../workflow.definition.js'
import { DEFAULT_STAGES } from '../../crm/pipeline.js'
import { parseDay, parseMoneyCents, parseNumber, splitList, typeOf } from './values.js'

// Entry conditions and IF/ELSE branches, evaluated against a run's typed values
// (RunValues: money in cents, dates as YYYY-MM-DD, lists as arrays). Pure.

export type RunValues = Record<string, unknown>

export type EvalOptions = {
  /** Stage codes in pipeline order, for `>`/`<` on a stage (default: the default pipeline). */
  stageOrder?: string[]
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)

/** A value of a path, from the flat map first, then `webhook.a.b` inside nested objects. */
export function valueAt(values: RunValues, path: string): unknown {
  if (Object.hasOwn(values, path)) return values[path]
  let cur: unknown = values
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

/** Compares a typed value with the text the user typed; null when the text does not fit the type. */
function compare(type: ReturnType<typeof typeOf>, actual: unknown, text: string, opts: EvalOptions): number | null {
  switch (type) {
    case 'money': {
      const want = parseMoneyCents(text)
      return want === null || typeof actual !== 'number' ? null : Math.sign(actual - want)
    }
    case 'number': {
      const want = parseNumber(text)
      const have = typeof actual === 'number' ? actual : typeof actual === 'string' ? parseNumber(actual) : null
      return want === null || have === null ? null : Math.sign(have - want)
    }
    case 'date': {
      const want = parseDay(text)
      const have = typeof actual === 'string' ? parseDay(actual.slice(0, 10)) : null
      return want === null || have === null ? null : have < want ? -1 : have > want ? 1 : 0
    }
    case 'stage': {
      const order = opts.stageOrder ?? DEFAULT_STAGES.map((s) => s.code)
      const a = order.indexOf(String(actual ?? '').toUpperCase())
      const b = order.indexOf(text.trim().toUpperCase())
      if (a < 0 || b < 0) return String(actual ?? '').toUpperCase() === text.trim().toUpperCase() ? 0 : null
      return Math.sign(a - b)
    }
    case 'boolean': {
      const want = ['oui', 'vrai', 'true', '1'].includes(fold(text)) ? 1 : ['non', 'faux', 'false', '0'].includes(fold(text)) ? 0 : null
      return want === null ? null : Number(!!actual) - want
    }
    default: {
      // Webhook payloads: a number compared with a number typed by the user.
      if (typeof actual === 'number') {
        const want = parseNumber(text)
        if (want !== null) return Math.sign(actual - want)
      }
      const a = fold(String(actual ?? ''))
      const b = fold(text)
      return a === b ? 0 : a < b ? -1 : 1
    }
  }
}

export function evaluateCondition(c: Condition, values: RunValues, opts: EvalOptions = {}): boolean {
  const actual = valueAt(values, c.field)
  const type = typeOf(c.field)
  const text = c.value ?? ''
  switch (c.op) {
    case 'empty':
      return isEmpty(actual)
    case 'not_empty':
      return !isEmpty(actual)
    case 'contains':
      if (Array.isArray(actual)) return actual.some((x) => fold(String(x)) === fold(text))
      return fold(String(actual ?? '')).includes(fold(text))
    case 'in': {
      const options = splitList(text)
      if (Array.isArray(actual)) return actual.some((x) => options.some((o) => fold(o) === fold(String(x))))
      return options.some((o) => compare(type, actual, o, opts) === 0)
    }
    case 'eq':
    case 'neq': {
      const eq = Array.isArray(actual) ? actual.some((x) => fold(String(x)) === fold(text)) : compare(type, actual, text, opts) === 0
      return c.op === 'eq' ? eq : !eq
    }
    case 'gt':
      return compare(type, actual, text, opts) === 1
    case 'lt':
      return compare(type, actual, text, opts) === -1
  }
}

/** AND / OR over rules and nested groups. An empty group holds (no condition). */
export function evaluateGroup(g: ConditionGroup | null, values: RunValues, opts: EvalOptions = {}): boolean {
  if (!g || g.rules.length === 0) return true
  const results = g.rules.map((r) => (isGroup(r) ? evaluateGroup(r, values, opts) : evaluateCondition(r, values, opts)))
  return g.combinator === 'and' ? results.every(Boolean) : results.some(Boolean)
}

/** A readable account of a decision for the run log: each rule with its actual value and outcome. */
export function explainGroup(
  g: ConditionGroup | null,
  values: RunValues,
  opts: EvalOptions = {},
): Array<{ field: string; op: string; value: string | null; actual: unknown; result: boolean }> {
  if (!g) return []
  return g.rules.flatMap((r) =>
    isGroup(r)
      ? explainGroup(r, values, opts)
      : [{ field: r.field, op: r.op, value: r.value ?? null, actual: valueAt(values, r.field) ?? null, result: evaluateCondition(r, values, opts) }],
  )
}
