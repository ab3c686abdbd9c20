import { variablesFor, type Condition, type ConditionGroup, type Step, type StepType, type Trigger, type WorkflowDefinition } from './workflow.definition.js'

// Edits of a definition's step tree, shared by the no-JS form editor (run on the server
// for each "Ajouter", "Monter", "Supprimer" button) and the visual editor (run in the
// browser). Pure: each returns a new definition and keeps `steps` in display order (the
// tree depth first, "alors" before "sinon", unreachable steps last).

/** Where a new step goes: first, after a step, or at the head of a branch's "alors" / "sinon" list. */
export type Position = { at: 'start' } | { at: 'after'; stepId: string } | { at: 'then' | 'else'; stepId: string }

const PREFIX: Record<StepType, string> = {
  send_email: 'email',
  create_task: 'tache',
  update_field: 'champ',
  notify: 'notif',
  webhook: 'webhook',
  assign: 'attribuer',
  add_tag: 'etiquette',
  delay: 'attente',
  branch: 'si',
}

export function newStepId(def: WorkflowDefinition, type: StepType): string {
  const used = new Set(def.steps.map((s) => s.id))
  for (let n = 1; ; n++) if (!used.has(`${PREFIX[type]}-${n}`)) return `${PREFIX[type]}-${n}`
}

/** A new rule on the trigger's first variable: a rule always names an existing field (the schema wants one), the user then picks. */
export const newRule = (trigger: Trigger): Condition => ({ field: variablesFor(trigger)[0]?.path ?? 'date.aujourdhui', op: 'eq', value: '' })
export const newGroup = (trigger: Trigger): ConditionGroup => ({ combinator: 'and', rules: [newRule(trigger)] })

/** A step of this type with empty fields (the editor then asks for them). */
export function blankStep(type: StepType, id: string, trigger: Trigger = { kind: 'deal.created' }): Step {
  switch (type) {
    case 'send_email':
      return { id, type, to: { kind: 'owner' }, subject: '', body: '', next: null }
    case 'create_task':
      return { id, type, title: '', description: '', assignee: { kind: 'owner' }, dueInDays: 1, priority: 'normal', next: null }
    case 'update_field':
      return { id, type, field: '', value: '', next: null }
    case 'notify':
      return { id, type, to: { kind: 'owner' }, title: '', body: '', next: null }
    case 'webhook':
      return { id, type, url: '', body: '', timeoutMs: 5000, next: null }
    case 'assign':
      return { id, type, mode: 'user', userId: null, teamId: null, next: null }
    case 'add_tag':
      return { id, type, tag: '', next: null }
    case 'delay':
      return { id, type, mode: 'duration', amount: 1, unit: 'days', field: null, offsetDays: 0, next: null }
    case 'branch':
      return { id, type, condition: newGroup(trigger), then: null, else: null }
  }
}

/** Where a step sits: the step pointing at it (and through which slot), or the start. */
export function parentOf(def: WorkflowDefinition, id: string): { stepId: string; slot: 'next' | 'then' | 'else' } | 'start' | null {
  if (def.start === id) return 'start'
  for (const s of def.steps) {
    if (s.type === 'branch') {
      if (s.then === id) return { stepId: s.id, slot: 'then' }
      if (s.else === id) return { stepId: s.id, slot: 'else' }
    } else if (s.next === id) return { stepId: s.id, slot: 'next' }
  }
  return null
}

function setPointer(def: WorkflowDefinition, from: ReturnType<typeof parentOf>, to: string | null): WorkflowDefinition {
  if (from === null) return def
  if (from === 'start') return { ...def, start: to }
  return { ...def, steps: def.steps.map((s) => (s.id === from.stepId ? ({ ...s, [from.slot]: to } as Step) : s)) }
}

const pointerAt = (def: WorkflowDefinition, p: Position): string | null => {
  if (p.at === 'start') return def.start
  const s = def.steps.find((x) => x.id === p.stepId)
  if (!s) return null
  if (p.at === 'after') return s.type === 'branch' ? null : s.next
  return s.type === 'branch' ? s[p.at] : null
}

/** Inserts a new step at `p`; what followed continues after it (after a new branch: in its "alors" list). */
export function addStep(def: WorkflowDefinition, type: StepType, p: Position): { def: WorkflowDefinition; id: string } {
  if (p.at !== 'start') {
    const anchor = def.steps.find((x) => x.id === p.stepId)
    if (!anchor || (p.at === 'after') !== (anchor.type !== 'branch')) return { def, id: '' }
  }
  const id = newStepId(def, type)
  const follows = pointerAt(def, p)
  const step = blankStep(type, id, def.trigger)
  if (step.type === 'branch') step.then = follows
  else step.next = follows
  const from = p.at === 'start' ? 'start' : { stepId: p.stepId, slot: p.at === 'after' ? ('next' as const) : p.at }
  const withStep = { ...def, steps: [...def.steps, step] }
  return { def: ordered(setPointer(withStep, from, id)), id }
}

/** Every step below `id` (its descendants), `id` included. */
export function subtreeOf(def: WorkflowDefinition, id: string): Set<string> {
  const byId = new Map(def.steps.map((s) => [s.id, s]))
  const out = new Set<string>()
  const stack = [id]
  while (stack.length) {
    const cur = stack.pop()!
    if (out.has(cur) || !byId.has(cur)) continue
    out.add(cur)
    const s = byId.get(cur)!
    for (const c of s.type === 'branch' ? [s.then, s.else] : [s.next]) if (c) stack.push(c)
  }
  return out
}

/**
 * Removes a step; the steps after it move up into its place. Removing a branch keeps its
 * "alors" list in its place and removes its "sinon" list (a step can only continue one way).
 */
export function removeStep(def: WorkflowDefinition, id: string): WorkflowDefinition {
  const s = def.steps.find((x) => x.id === id)
  if (!s) return def
  const follows = s.type === 'branch' ? s.then : s.next
  const dropped = s.type === 'branch' && s.else ? subtreeOf(def, s.else) : new Set<string>()
  dropped.add(id)
  let out = setPointer(def, parentOf(def, id), follows)
  out = { ...out, steps: out.steps.filter((x) => !dropped.has(x.id)), layout: Object.fromEntries(Object.entries(out.layout).filter(([k]) => !dropped.has(k))) }
  return ordered(out)
}

/**
 * Swaps a step with the one before it (up) or after it (down) in its list. Only between
 * two plain steps: a branch ends its list, and a step cannot leave its branch.
 */
export function moveStep(def: WorkflowDefinition, id: string, dir: 'up' | 'down'): WorkflowDefinition {
  const byId = new Map(def.steps.map((s) => [s.id, s]))
  const first = dir === 'up' ? parentOf(def, id) : id
  if (!first || first === 'start' || (typeof first === 'object' && first.slot !== 'next')) return def
  const a = byId.get(typeof first === 'string' ? first : first.stepId) // the earlier of the two
  if (!a || a.type === 'branch' || !a.next) return def
  const b = byId.get(a.next)
  if (!b || b.type === 'branch') return def
  // before: P → a → b → rest ; after: P → b → a → rest
  let out = setPointer(def, parentOf(def, a.id), b.id)
  out = { ...out, steps: out.steps.map((s) => (s.id === b.id ? { ...b, next: a.id } : s.id === a.id ? { ...a, next: b.next } : s)) }
  return ordered(out)
}

export function canMove(def: WorkflowDefinition, id: string, dir: 'up' | 'down'): boolean {
  return moveStep(def, id, dir) !== def
}

/**
 * May `source` (through `slot`) lead to `target`? Only to a step without a parent that
 * is not the start and not above `source` — the tree rules the visual editor enforces
 * when an edge is drawn.
 */
export function canConnect(def: WorkflowDefinition, sourceId: string, slot: 'next' | 'then' | 'else', targetId: string): boolean {
  const source = def.steps.find((s) => s.id === sourceId)
  if (!source || !def.steps.some((s) => s.id === targetId) || sourceId === targetId) return false
  if ((slot === 'next') !== (source.type !== 'branch')) return false
  if (parentOf(def, targetId) !== null) return false
  return !subtreeOf(def, targetId).has(sourceId)
}

/** Draws (or, with target null, removes) the edge `source —slot→ target`. Refused edges leave the definition as it was. */
export function connect(def: WorkflowDefinition, sourceId: string, slot: 'next' | 'then' | 'else', targetId: string | null): WorkflowDefinition {
  if (targetId !== null && !canConnect(def, sourceId, slot, targetId)) return def
  return ordered({ ...def, steps: def.steps.map((s) => (s.id === sourceId ? ({ ...s, [slot]: targetId } as Step) : s)) })
}

/** Makes a parentless step the first one (the visual editor's "start here" when the workflow has none). */
export function setStart(def: WorkflowDefinition, id: string | null): WorkflowDefinition {
  if (id !== null && (parentOf(def, id) !== null || !def.steps.some((s) => s.id === id))) return def
  return ordered({ ...def, start: id })
}

/** `steps` in display order: depth first from start ("alors" before "sinon"), then steps no path reaches. */
export function ordered(def: WorkflowDefinition): WorkflowDefinition {
  const byId = new Map(def.steps.map((s) => [s.id, s]))
  const seen = new Set<string>()
  const out: Step[] = []
  const visit = (id: string | null) => {
    while (id && byId.has(id) && !seen.has(id)) {
      const s = byId.get(id)!
      seen.add(id)
      out.push(s)
      if (s.type === 'branch') {
        visit(s.then)
        visit(s.else)
        return
      }
      id = s.next
    }
  }
  visit(def.start)
  for (const s of def.steps)
    if (!seen.has(s.id)) {
      const before = out.length
      visit(s.id)
      if (out.length === before) out.push(s)
    }
  return { ...def, steps: out }
}

/** The chain of steps starting at `id`, following `next` (a branch ends it). */
export function chainFrom(def: WorkflowDefinition, id: string | null): Step[] {
  const byId = new Map(def.steps.map((s) => [s.id, s]))
  const out: Step[] = []
  const seen = new Set<string>()
  while (id && byId.has(id) && !seen.has(id)) {
    const s = byId.get(id)!
    seen.add(id)
    out.push(s)
    id = s.type === 'branch' ? null : s.next
  }
  return out
}

/** Steps that no path from the start reaches, heads of their chains only (each shown with its followers). */
export function detachedHeads(def: WorkflowDefinition): string[] {
  const reached = def.start ? subtreeOf(def, def.start) : new Set<string>()
  return def.steps.filter((s) => !reached.has(s.id) && parentOf(def, s.id) === null).map((s) => s.id)
}
