import cronParser from 'cron-parser'
import type { ZodIssue } from 'zod'
import type { Role } from '../../db/schema.js'
import type { Problem } from '../shared/errors.js'
import { classifyAddress } from '../shared/outbound-http/address-policy.js'
import type { OutboundPolicy } from '../shared/outbound-http/outbound-policy.js'
import { placeholdersIn } from './template-text.js'
import {
  definitionSchema,
  isGroup,
  subjectOf,
  VARIABLES,
  variablesFor,
  type Condition,
  type ConditionGroup,
  type Recipient,
  type Step,
  type Trigger,
  type Variable,
  type WorkflowDefinition,
} from './workflow.definition.js'

// What must hold before a draft is published, with error codes keyed so the editors
// can put each one beside its field:
//   'workflow'                       the workflow as a whole (empty…)
//   'trigger.<field>'                trigger fields (kind, from, to, days, stage, fields, cron)
//   'conditions[.i…].<field>'        an entry condition rule, by its position in the groups
//   'steps.<stepId>[.<field>]'       a step, or one of its fields (subject, to.userId, condition.0.field…)
// Keys use step ids, not positions, so an error stays on its step when the list is reordered.

export type WorkflowErrors = Record<string, Problem>

/** What validation needs to know about the workspace: codes and ids that exist. */
export type ValidationEnv = {
  stages: string[]
  userIds: string[]
  teamIds: string[]
  /** The outbound switches (domain/shared/outbound-http/outbound-policy.ts); absent = https only. */
  outbound?: OutboundPolicy
  /**
   * Who publishes: a workflow acts with its publisher's rights (ADR 0023). Absent = the
   * system (tests, seed): no restriction. `assignable`: whom the publisher may make an
   * owner (managers: themselves and their team); `teamId`: the only team a manager's
   * round robin may use.
   */
  publisher?: { role: Role; teamId: string | null; assignable: string[] | null }
}

export type ValidationResult = { ok: true; definition: WorkflowDefinition } | { ok: false; errors: WorkflowErrors }

const M = {
  empty: 'workflow.empty',
  required: 'workflow.field.required',
  danglingStart: 'workflow.start.dangling',
  duplicateId: 'workflow.step.duplicate_id',
  unreachable: 'workflow.step.unreachable',
  twoParents: 'workflow.step.two_parents',
  cycle: 'workflow.step.cycle',
  emptyBranch: 'workflow.branch.empty',
  unknownVariable: (path: string): Problem => ({ code: 'workflow.variable.unknown', params: { path } }),
  badPlaceholder: (raw: string): Problem => ({ code: 'workflow.placeholder.invalid', params: { raw } }),
  notYet: (path: string): Problem => ({ code: 'workflow.variable.not_yet', params: { path } }),
  noContactYet: 'workflow.recipient.no_contact_yet',
  unknownField: 'workflow.field.unknown',
  valueRequired: 'workflow.value.required',
  notNumber: 'workflow.value.not_number',
  notDate: 'workflow.value.not_date',
  notStage: 'workflow.value.not_stage',
  emptyList: 'workflow.value.empty_list',
  unknownStage: 'workflow.stage.unknown',
  sameStages: 'workflow.stages.same',
  stageForDealsOnly: 'workflow.stage.deals_only',
  cronFields: 'workflow.cron.fields',
  unknownUser: 'workflow.user.unknown',
  unknownTeam: 'workflow.team.unknown',
  badEmail: 'workflow.email.invalid',
  contactEmailOnly: 'workflow.contact.email_only',
  needsSubject: 'workflow.recipient.needs_record',
  needsRecord: 'workflow.action.needs_record',
  notUpdatable: 'workflow.field.not_updatable',
  wrongEntity: 'workflow.field.deal_only',
  badUrl: 'workflow.url.invalid',
  internalUrl: 'workflow.url.internal',
  webhookAdminOnly: 'workflow.webhook.admin_only',
  notAssignable: 'workflow.assign.not_allowed',
  otherTeam: 'workflow.assign.other_team',
  durationPositive: 'workflow.duration.not_positive',
  dateFieldRequired: 'workflow.date_field.required',
  notDateField: 'workflow.date_field.invalid',
  badOrgStatus: 'workflow.org_status.unknown',
  updatedFieldUnknown: (field: string): Problem => ({ code: 'workflow.trigger_field.unknown', params: { field } }),
  schema: 'workflow.value.invalid',
} satisfies Record<string, Problem | ((s: string) => Problem)>

/** A code for the zod issues a hand-edited or half-filled form can produce. */
function schemaMessage(issue: ZodIssue): Problem {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' || issue.received === 'null' ? M.required : M.schema
    case 'too_small':
      return issue.type === 'string' ? M.required : { code: 'workflow.value.too_small', params: { min: Number(issue.minimum) } }
    case 'too_big':
      return issue.type === 'string'
        ? { code: 'workflow.text.too_long', params: { max: Number(issue.maximum) } }
        : { code: 'workflow.value.too_large', params: { max: Number(issue.maximum) } }
    case 'invalid_string':
      return issue.validation === 'uuid' ? M.unknownUser : issue.path.at(-1) === 'id' ? 'workflow.step_id.invalid' : M.schema
    case 'invalid_union_discriminator':
    case 'invalid_enum_value':
      return 'workflow.value.not_in_list'
    default:
      return M.schema
  }
}

/** A zod path to our key: steps by id rather than by index. */
function keyOfPath(path: Array<string | number>, raw: unknown): string {
  if (path[0] === 'steps' && typeof path[1] === 'number') {
    const steps = (raw as { steps?: Array<{ id?: unknown }> })?.steps
    const id = steps?.[path[1]]?.id
    const rest = path.slice(2).filter((p) => p !== 'rules')
    return ['steps', typeof id === 'string' && id ? id : `#${path[1]}`, ...rest].join('.')
  }
  if (path[0] === 'conditions') return ['conditions', ...path.slice(1).filter((p) => p !== 'rules')].join('.')
  return path.join('.') || 'workflow'
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const EUROS = /^-?(\d{1,3}([\s\u00a0\u202f.]\d{3})+|\d+)([,.]\d{1,2})?\s*€?$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const isDate = (s: string) => DATE.test(s) && !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
const hasPlaceholder = (s: string) => placeholdersIn(s).length > 0

/** Validates a posted or stored definition for publishing. */
export function validateWorkflow(raw: unknown, env: ValidationEnv): ValidationResult {
  const parsed = definitionSchema.safeParse(raw)
  if (!parsed.success) {
    const errors: WorkflowErrors = {}
    for (const issue of parsed.error.issues) {
      const key = keyOfPath(issue.path, raw)
      errors[key] ??= schemaMessage(issue)
    }
    return { ok: false, errors }
  }
  const def = parsed.data
  const errors: WorkflowErrors = {}
  const add = (key: string, problem: Problem) => {
    errors[key] ??= problem
  }

  const vars = variablesFor(def.trigger)
  const byPath = new Map(vars.map((v) => [v.path, v]))
  const subject = subjectOf(def.trigger)
  const webhookVars = def.trigger.kind === 'webhook'
  const variableOf = (path: string): Variable | 'webhook' | null =>
    byPath.get(path) ?? (webhookVars && /^webhook\.[\p{L}\p{N}_.-]+$/u.test(path) ? 'webhook' : null)

  // An organisation has no contact when it is created: a step that runs at once (no wait
  // on its way from the start), or an entry condition, cannot use its contact.
  const contactLater = def.trigger.kind === 'organisation.created'
  const immediate = contactLater ? stepsBeforeAnyWait(def) : new Set<string>()
  const notYet = (key: string, path: string) =>
    contactLater && path.startsWith('contact.') && (key.startsWith('conditions') || immediate.has(key.split('.')[1]))

  const checkTemplate = (key: string, text: string) => {
    for (const p of placeholdersIn(text)) {
      if (!p.valid) return add(key, M.badPlaceholder(p.raw))
      if (!variableOf(p.path)) return add(key, M.unknownVariable(p.path))
      if (notYet(key, p.path)) return add(key, M.notYet(p.path))
    }
  }
  const requireText = (key: string, text: string) => {
    if (!text.trim()) add(key, M.required)
    else checkTemplate(key, text)
  }

  checkTrigger(def.trigger, env, add)

  // Conditions (entry and branch): fields that exist, values parseable by the field's type.
  const checkRule = (key: string, r: Condition) => {
    const v = variableOf(r.field)
    if (!v) return add(`${key}.field`, M.unknownField)
    if (notYet(key, r.field)) return add(`${key}.field`, M.notYet(r.field))
    const value = (r.value ?? '').trim()
    if (r.op === 'empty' || r.op === 'not_empty') return
    if (!value) return add(`${key}.value`, M.valueRequired)
    if (v === 'webhook') return
    if (r.op === 'in') {
      const items = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      if (!items.length) return add(`${key}.value`, M.emptyList)
      if (v.type === 'stage') for (const i of items) if (!env.stages.includes(i)) return add(`${key}.value`, M.notStage)
      return
    }
    if (r.op === 'contains') return
    if ((v.type === 'number' || v.type === 'money') && !EUROS.test(value)) return add(`${key}.value`, M.notNumber)
    if (v.type === 'date' && !isDate(value)) return add(`${key}.value`, M.notDate)
    if (v.type === 'stage' && (r.op === 'eq' || r.op === 'neq') && !env.stages.includes(value)) return add(`${key}.value`, M.notStage)
  }
  const checkGroup = (key: string, g: ConditionGroup) => {
    g.rules.forEach((r, i) => (isGroup(r) ? checkGroup(`${key}.${i}`, r) : checkRule(`${key}.${i}`, r)))
  }
  if (def.conditions) checkGroup('conditions', def.conditions)

  // The graph: ids unique, references exist, one tree from `start`.
  const ids = new Map<string, Step>()
  for (const s of def.steps) {
    if (ids.has(s.id)) add(`steps.${s.id}`, M.duplicateId)
    ids.set(s.id, s)
  }
  if (!def.steps.length || def.start === null) add('workflow', M.empty)
  else if (!ids.has(def.start)) add('start', M.danglingStart)

  const parents = new Map<string, string>()
  for (const s of def.steps) {
    const refs: Array<[string, string | null]> =
      s.type === 'branch'
        ? [
            ['then', s.then],
            ['else', s.else],
          ]
        : [['next', s.next]]
    if (s.type === 'branch' && s.then === null && s.else === null) add(`steps.${s.id}.then`, M.emptyBranch)
    for (const [field, target] of refs) {
      if (target === null) continue
      if (!ids.has(target)) {
        add(`steps.${s.id}.${field}`, field === 'next' ? 'workflow.next.dangling' : field === 'then' ? 'workflow.then.dangling' : 'workflow.else.dangling')
        continue
      }
      if (target === s.id) {
        add(`steps.${s.id}.${field}`, M.cycle)
        continue
      }
      if (parents.has(target)) add(`steps.${target}`, M.twoParents)
      else parents.set(target, s.id)
    }
  }
  if (def.start && ids.has(def.start)) {
    if (parents.has(def.start)) add(`steps.${parents.get(def.start)}`, M.cycle)
    const seen = new Set<string>()
    const stack = [def.start]
    while (stack.length) {
      const id = stack.pop()!
      if (seen.has(id)) continue
      seen.add(id)
      const s = ids.get(id)
      if (!s) continue
      for (const c of s.type === 'branch' ? [s.then, s.else] : [s.next]) if (c && ids.has(c)) stack.push(c)
    }
    for (const s of def.steps) if (!seen.has(s.id)) add(`steps.${s.id}`, M.unreachable)
  }

  // Each step's own fields.
  const checkRecipient = (key: string, to: Recipient, forEmail: boolean) => {
    if ((to.kind === 'owner' || to.kind === 'manager' || to.kind === 'contact') && subject === null) return add(key, M.needsSubject)
    if (to.kind === 'contact' && !forEmail) return add(key, M.contactEmailOnly)
    if (to.kind === 'contact' && notYet(key, 'contact.')) return add(key, M.noContactYet)
    if (to.kind === 'user' && !env.userIds.includes(to.userId)) return add(`${key}.userId`, M.unknownUser)
    if (to.kind === 'team' && !env.teamIds.includes(to.teamId)) return add(`${key}.teamId`, M.unknownTeam)
    if (to.kind === 'email') {
      if (!forEmail) return add(key, M.contactEmailOnly)
      const a = to.address.trim()
      if (!a) return add(`${key}.address`, M.required)
      if (hasPlaceholder(a)) return checkTemplate(`${key}.address`, a)
      if (!EMAIL.test(a)) return add(`${key}.address`, M.badEmail)
    }
  }

  for (const s of def.steps) {
    const k = (f: string) => `steps.${s.id}.${f}`
    switch (s.type) {
      case 'send_email':
        checkRecipient(k('to'), s.to, true)
        requireText(k('subject'), s.subject)
        requireText(k('body'), s.body)
        break
      case 'create_task':
        requireText(k('title'), s.title)
        checkTemplate(k('description'), s.description)
        if ((s.assignee.kind === 'owner' || s.assignee.kind === 'manager') && subject === null) add(k('assignee'), M.needsSubject)
        if (s.assignee.kind === 'user' && !env.userIds.includes(s.assignee.userId)) add(k('assignee.userId'), M.unknownUser)
        break
      case 'update_field': {
        if (subject === null) {
          add(k('field'), M.needsRecord)
          break
        }
        if (!s.field) {
          add(k('field'), M.required)
          break
        }
        const v = VARIABLES.find((x) => x.path === s.field)
        if (!v || !v.updatable) {
          add(k('field'), M.notUpdatable)
          break
        }
        if (v.updatable.entity === 'deal' && subject !== 'deal') {
          add(k('field'), M.wrongEntity)
          break
        }
        checkFieldValue(k('value'), v, s.value, env, add, checkTemplate)
        break
      }
      case 'notify':
        checkRecipient(k('to'), s.to, false)
        requireText(k('title'), s.title)
        checkTemplate(k('body'), s.body)
        break
      case 'webhook': {
        const url = s.url.trim()
        // Data leaves the CRM: only an administrator may publish it (ADR 0023).
        if (env.publisher && env.publisher.role !== 'admin') add(k('url'), M.webhookAdminOnly)
        else if (!url) add(k('url'), M.required)
        else {
          const verdict = urlVerdict(url, env.outbound ?? { allowHttp: false, allowLoopback: false })
          if (verdict) add(k('url'), verdict === 'internal' ? M.internalUrl : M.badUrl)
        }
        checkTemplate(k('body'), s.body)
        break
      }
      case 'assign':
        if (subject === null) add(k('mode'), M.needsRecord)
        else if (s.mode === 'user' && (!s.userId || !env.userIds.includes(s.userId))) add(k('userId'), s.userId ? M.unknownUser : M.required)
        else if (s.mode === 'round_robin' && (!s.teamId || !env.teamIds.includes(s.teamId))) add(k('teamId'), s.teamId ? M.unknownTeam : M.required)
        // Never give a record to someone the publisher could not give it to from its page.
        else if (s.mode === 'user' && env.publisher?.assignable && !env.publisher.assignable.includes(s.userId!)) add(k('userId'), M.notAssignable)
        else if (s.mode === 'round_robin' && env.publisher && env.publisher.role !== 'admin' && env.publisher.teamId !== s.teamId) add(k('teamId'), M.otherTeam)
        break
      case 'add_tag':
        if (subject === null) add(k('tag'), M.needsRecord)
        else requireText(k('tag'), s.tag)
        break
      case 'delay':
        if (s.mode === 'duration') {
          if (s.amount <= 0) add(k('amount'), M.durationPositive)
        } else if (!s.field) add(k('field'), M.dateFieldRequired)
        else {
          const v = byPath.get(s.field)
          if (!v) add(k('field'), M.unknownField)
          else if (v.type !== 'date') add(k('field'), M.notDateField)
        }
        break
      case 'branch':
        if (!s.condition.rules.length) add(`${k('condition')}.0.field`, M.required)
        checkGroup(k('condition'), s.condition)
        break
    }
  }

  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, definition: def }
}

/** The steps that run as soon as the workflow starts: reachable from the start without passing a wait. */
function stepsBeforeAnyWait(def: WorkflowDefinition): Set<string> {
  const byId = new Map(def.steps.map((s) => [s.id, s]))
  const out = new Set<string>()
  const stack = def.start ? [def.start] : []
  while (stack.length) {
    const s = byId.get(stack.pop()!)
    if (!s || out.has(s.id)) continue
    out.add(s.id)
    if (s.type !== 'delay') for (const c of s.type === 'branch' ? [s.then, s.else] : [s.next]) if (c) stack.push(c)
  }
  return out
}

function checkTrigger(t: Trigger, env: ValidationEnv, add: (k: string, p: Problem) => void) {
  switch (t.kind) {
    case 'deal.updated':
    case 'organisation.updated': {
      const entity = t.kind === 'deal.updated' ? 'deal' : 'organisation'
      for (const f of t.fields) {
        const v = variablesFor(t).find((x) => x.path === f)
        if (!v?.updatable || v.updatable.entity !== entity) return add('trigger.fields', M.updatedFieldUnknown(f))
      }
      return
    }
    case 'deal.stage_changed':
      if (t.from !== null && !env.stages.includes(t.from)) add('trigger.from', M.unknownStage)
      if (t.to !== null && !env.stages.includes(t.to)) add('trigger.to', M.unknownStage)
      if (t.from !== null && t.from === t.to) add('trigger.to', M.sameStages)
      return
    case 'inactivity':
      if (t.stage !== null) {
        if (t.entity !== 'deal') add('trigger.stage', M.stageForDealsOnly)
        else if (!env.stages.includes(t.stage)) add('trigger.stage', M.unknownStage)
      }
      return
    case 'schedule': {
      const cron = t.cron.trim()
      if (cron.split(/\s+/).length !== 5) return add('trigger.cron', M.cronFields)
      try {
        cronParser.parseExpression(cron, { tz: 'Europe/Paris' })
      } catch (e) {
        add('trigger.cron', cronProblem(e))
      }
      return
    }
    default:
      return
  }
}

// cron-parser speaks English: the usual cause (a value out of range) gets its own code, the rest one for all.
function cronProblem(e: unknown): Problem {
  const msg = e instanceof Error ? e.message : String(e)
  const range = /got value (\S+) expected range (\d+)-(\d+)/.exec(msg)
  if (range) return { code: 'workflow.cron.out_of_range', params: { value: range[1], min: range[2], max: range[3] } }
  return 'workflow.cron.invalid'
}

/**
 * A webhook URL at publish time: null when acceptable. Names are resolved only when the
 * step runs (the guard checks the address then); a literal internal address, `localhost`
 * or a plain http:// URL is refused now, beside the field.
 */
function urlVerdict(url: string, policy: OutboundPolicy): 'invalid' | 'internal' | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'invalid'
  }
  if (u.username || u.password) return 'invalid'
  const host = u.hostname.replace(/^\[|\]$/g, '')
  const literal = /^[\d.]+$/.test(host) || host.includes(':')
  const verdict = host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : literal ? classifyAddress(host) : 'public'
  if (verdict === 'refused' || (verdict === 'loopback' && !policy.allowLoopback) || (verdict === 'private' && !policy.allowPrivate)) return 'internal'
  if (u.protocol === 'https:') return null
  if (u.protocol === 'http:' && (policy.allowHttp || verdict === 'loopback')) return null
  return 'invalid'
}

const ORG_STATUSES = ['prospect', 'client', 'ancien_client']

/** update_field: the value must parse for the field's type (a template is checked as one and parsed at run time). */
function checkFieldValue(
  key: string,
  v: Variable,
  value: string,
  env: ValidationEnv,
  add: (k: string, p: Problem) => void,
  checkTemplate: (k: string, t: string) => void,
) {
  const s = value.trim()
  if (hasPlaceholder(s)) return checkTemplate(key, s)
  if (!s) {
    // Clearing is allowed for optional columns, not for titles, names, amounts or stages.
    if (v.type === 'money' || v.type === 'stage' || v.path === 'affaire.titre' || v.path === 'organisation.nom' || v.path === 'organisation.statut')
      add(key, M.valueRequired)
    return
  }
  if (v.type === 'money' || v.type === 'number') {
    if (!EUROS.test(s)) add(key, M.notNumber)
    return
  }
  if (v.type === 'date') {
    if (!isDate(s)) add(key, M.notDate)
    return
  }
  if (v.type === 'stage') {
    if (!env.stages.includes(s)) add(key, M.unknownStage)
    return
  }
  if (v.path === 'organisation.statut' && !ORG_STATUSES.includes(s)) add(key, M.badOrgStatus)
}
