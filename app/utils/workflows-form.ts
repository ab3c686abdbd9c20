import {
  isGroup,
  type Condition,
  type ConditionGroup,
  type Recipient,
  type Step,
  type StepType,
  type Trigger,
  type TriggerKind,
  type WorkflowDefinition,
  CONDITION_OPS,
  STEP_TYPES,
  TRIGGER_KINDS,
} from '../../domain/workflows/workflow.definition'
import { newRule } from '../../domain/workflows/workflow.edit'

// The no-JS form editor posts the whole draft as bracketed field names
// (`steps[2][to][kind]`, `conditions[rules][1][rules][0][field]`, `trigger[fields][]`), so
// each button (save, add a step, move…) gets everything typed. This reads them back into
// a definition. Loose on purpose: a half-filled step stays as typed (an unknown user id,
// an empty number) and the schema or publish validation says what is wrong beside it.
// Shared with the visual editor, which reads its side panel's fields the same way.

type Tree = { [k: string]: Tree | string | string[] }

/** `a[b][0][c]=x` pairs into nested objects; `name[]` collects repeated values into a list. */
export function parseBrackets(entries: Iterable<[string, FormDataEntryValue]>): Tree {
  const root: Tree = {}
  for (const [name, raw] of entries) {
    if (typeof raw !== 'string') continue
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name)
    if (!m) continue
    const keys = [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])]
    let node: Tree = root
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]
      const last = i === keys.length - 1
      if (keys[i + 1] === '' && i + 2 === keys.length) {
        const list = node[k]
        node[k] = Array.isArray(list) ? [...list, raw] : [raw]
        break
      }
      if (last) {
        node[k] = raw
        break
      }
      const child = node[k]
      if (typeof child !== 'object' || Array.isArray(child)) node[k] = {}
      node = node[k] as Tree
    }
  }
  return root
}

const str = (t: Tree | undefined, k: string): string => (t && typeof t[k] === 'string' ? (t[k] as string) : '')
const sub = (t: Tree | undefined, k: string): Tree | undefined => (t && typeof t[k] === 'object' && !Array.isArray(t[k]) ? (t[k] as Tree) : undefined)
const list = (t: Tree | undefined, k: string): string[] =>
  t && Array.isArray(t[k]) ? (t[k] as string[]) : t && typeof t[k] === 'string' && t[k] ? [t[k] as string] : []
/** Children keyed 0, 1, 2… in numeric order. */
const items = (t: Tree | undefined): Tree[] =>
  t
    ? Object.keys(t)
        .filter((k) => /^\d+$/.test(k))
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => t[k])
        .filter((v): v is Tree => typeof v === 'object' && !Array.isArray(v))
    : []
const nullable = (s: string) => (s === '' ? null : s)
/** A typed integer; what is not one stays NaN so the schema names the field. */
const int = (s: string, fallback: number) => (s.trim() === '' ? fallback : /^-?\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN)

export function readTrigger(t: Tree | undefined): Trigger {
  const kind = (TRIGGER_KINDS as readonly string[]).includes(str(t, 'kind')) ? (str(t, 'kind') as TriggerKind) : 'deal.created'
  switch (kind) {
    case 'deal.updated':
    case 'organisation.updated':
      return { kind, fields: list(t, 'fields') }
    case 'deal.stage_changed':
      return { kind, from: nullable(str(t, 'from')), to: nullable(str(t, 'to')) }
    case 'inactivity':
      return { kind, entity: str(t, 'entity') === 'organisation' ? 'organisation' : 'deal', days: int(str(t, 'days'), 30), stage: nullable(str(t, 'stage')) }
    case 'schedule':
      return { kind, cron: str(t, 'cron').trim() }
    default:
      return { kind } as Trigger
  }
}

export function readGroup(t: Tree | undefined): ConditionGroup {
  return {
    combinator: str(t, 'combinator') === 'or' ? 'or' : 'and',
    rules: items(sub(t, 'rules')).map((r): Condition | ConditionGroup =>
      'combinator' in r
        ? readGroup(r)
        : {
            field: str(r, 'field'),
            op: (CONDITION_OPS as readonly string[]).includes(str(r, 'op')) ? (str(r, 'op') as Condition['op']) : 'eq',
            value: str(r, 'value'),
          },
    ),
  }
}

function readRecipient(t: Tree | undefined): Recipient {
  switch (str(t, 'kind')) {
    case 'manager':
      return { kind: 'manager' }
    case 'contact':
      return { kind: 'contact' }
    case 'user':
      return { kind: 'user', userId: str(t, 'userId') }
    case 'team':
      return { kind: 'team', teamId: str(t, 'teamId') }
    case 'email':
      return { kind: 'email', address: str(t, 'address').trim() }
    default:
      return { kind: 'owner' }
  }
}

export function readStep(t: Tree): Step | null {
  const type = str(t, 'type') as StepType
  if (!STEP_TYPES.includes(type)) return null
  const id = str(t, 'id')
  const label = str(t, 'label').trim() || undefined
  const next = nullable(str(t, 'next'))
  const base = { id, ...(label ? { label } : {}) }
  switch (type) {
    case 'send_email':
      return { ...base, type, to: readRecipient(sub(t, 'to')), subject: str(t, 'subject'), body: str(t, 'body'), next }
    case 'create_task': {
      const a = sub(t, 'assignee')
      const kind = str(a, 'kind')
      const assignee =
        kind === 'user' ? { kind: 'user' as const, userId: str(a, 'userId') } : kind === 'manager' ? { kind: 'manager' as const } : { kind: 'owner' as const }
      const priority = (['low', 'normal', 'high'] as const).find((p) => p === str(t, 'priority')) ?? 'normal'
      return { ...base, type, title: str(t, 'title'), description: str(t, 'description'), assignee, dueInDays: int(str(t, 'dueInDays'), 0), priority, next }
    }
    case 'update_field':
      return { ...base, type, field: str(t, 'field'), value: str(t, 'value'), next }
    case 'notify':
      return { ...base, type, to: readRecipient(sub(t, 'to')), title: str(t, 'title'), body: str(t, 'body'), next }
    case 'webhook':
      return { ...base, type, url: str(t, 'url').trim(), body: str(t, 'body'), timeoutMs: int(str(t, 'timeoutMs'), 5000), next }
    case 'assign':
      return {
        ...base,
        type,
        mode: str(t, 'mode') === 'round_robin' ? 'round_robin' : 'user',
        userId: nullable(str(t, 'userId')),
        teamId: nullable(str(t, 'teamId')),
        next,
      }
    case 'add_tag':
      return { ...base, type, tag: str(t, 'tag').trim(), next }
    case 'delay': {
      const unit = (['minutes', 'hours', 'days'] as const).find((u) => u === str(t, 'unit')) ?? 'days'
      return {
        ...base,
        type,
        mode: str(t, 'mode') === 'until_field' ? 'until_field' : 'duration',
        amount: int(str(t, 'amount'), 0),
        unit,
        field: nullable(str(t, 'field')),
        offsetDays: int(str(t, 'offsetDays'), 0),
        next,
      }
    }
    case 'branch':
      return { ...base, type, condition: readGroup(sub(t, 'condition')), then: nullable(str(t, 'then')), else: nullable(str(t, 'else')) }
  }
}

export type EditorForm = { name: string; description: string; draft: WorkflowDefinition }

/** The whole editor form. `draft_json` (the visual editor's save) wins over the bracketed fields when present. */
export function readEditorForm(form: FormData): EditorForm {
  const tree = parseBrackets(form.entries())
  const name = str(tree, 'name')
  const description = str(tree, 'description')
  const json = str(tree, 'draft_json')
  if (json) {
    try {
      return { name, description, draft: JSON.parse(json) as WorkflowDefinition }
    } catch {
      // fall through to the fields
    }
  }
  let layout: WorkflowDefinition['layout'] = {}
  try {
    layout = JSON.parse(str(tree, 'layout_json') || '{}')
  } catch {
    layout = {}
  }
  const conditions = readGroup(sub(tree, 'conditions'))
  return {
    name,
    description,
    draft: {
      trigger: readTrigger(sub(tree, 'trigger')),
      conditions: conditions.rules.length ? conditions : null,
      start: nullable(str(tree, 'start')),
      steps: items(sub(tree, 'steps'))
        .map(readStep)
        .filter((s): s is Step => s !== null),
      layout,
    },
  }
}

/** The group at a dotted path: 'conditions', 'conditions.1', 'steps.si-1.condition.0'. */
export function groupAt(def: WorkflowDefinition, path: string): ConditionGroup | null {
  const parts = path.split('.')
  let g: ConditionGroup | null
  let rest: string[]
  if (parts[0] === 'conditions') {
    g = def.conditions
    rest = parts.slice(1)
  } else if (parts[0] === 'steps' && parts[2] === 'condition') {
    const s = def.steps.find((x) => x.id === parts[1])
    g = s?.type === 'branch' ? s.condition : null
    rest = parts.slice(3)
  } else return null
  for (const p of rest) {
    const r = g?.rules[Number(p)]
    g = r && isGroup(r) ? r : null
  }
  return g
}

/**
 * Adds a rule or a sub-group to the group at `path`, or removes the rule at `path`
 * (its last part is the rule's index). Mutates a copy.
 */
export function editConditions(def: WorkflowDefinition, op: 'add' | 'group' | 'remove', path: string): WorkflowDefinition {
  const copy = structuredClone(def)
  if (op !== 'remove' && path === 'conditions' && !copy.conditions) copy.conditions = { combinator: 'and', rules: [] }
  const rule = () => newRule(copy.trigger)
  if (op === 'remove') {
    const i = path.lastIndexOf('.')
    const g = groupAt(copy, path.slice(0, i))
    if (g) g.rules.splice(Number(path.slice(i + 1)), 1)
    if (copy.conditions && !copy.conditions.rules.length) copy.conditions = null
    return copy
  }
  const g = groupAt(copy, path)
  if (g) g.rules.push(op === 'add' ? rule() : { combinator: g.combinator === 'and' ? 'or' : 'and', rules: [rule()] })
  return copy
}
