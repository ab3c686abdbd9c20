import { describe, expect, it } from 'vitest'
import type { Step, WorkflowDefinition } from './workflow.definition'
import { validateWorkflow, type ValidationEnv } from './workflow.validate'

const USER = '11111111-1111-4111-8111-111111111111'
const TEAM = '22222222-2222-4222-8222-222222222222'
const env: ValidationEnv = { stages: ['PROSPECT', 'PROPOSITION', 'SIGNE'], userIds: [USER], teamIds: [TEAM] }

const email = (id: string, over: Partial<Extract<Step, { type: 'send_email' }>> = {}): Step => ({
  id,
  type: 'send_email',
  to: { kind: 'owner' },
  subject: 'Relance {{organisation.nom}}',
  body: 'Bonjour {{proprietaire.prenom}}',
  next: null,
  ...over,
})
const task = (id: string, over: Partial<Extract<Step, { type: 'create_task' }>> = {}): Step => ({
  id,
  type: 'create_task',
  title: 'Relancer {{organisation.nom}}',
  description: '',
  assignee: { kind: 'owner' },
  dueInDays: 2,
  priority: 'normal',
  next: null,
  ...over,
})
const def = (over: Partial<WorkflowDefinition> = {}): WorkflowDefinition => ({
  trigger: { kind: 'deal.stage_changed', from: null, to: 'PROPOSITION' },
  conditions: null,
  start: 'a',
  steps: [email('a', { next: 'b' }), task('b')],
  layout: {},
  ...over,
})
const errorsOf = (d: unknown, e = env) => {
  const r = validateWorkflow(d, e)
  return r.ok ? {} : r.errors
}

describe('validateWorkflow', () => {
  it('accepts a two-step workflow', () => {
    expect(validateWorkflow(def(), env)).toMatchObject({ ok: true })
  })

  it('refuses an empty workflow', () => {
    expect(errorsOf(def({ start: null, steps: [] }))).toEqual({ workflow: 'workflow.empty' })
  })

  it('keys schema errors by step id', () => {
    const d = def() as any
    d.steps[1].dueInDays = 'demain'
    expect(Object.keys(errorsOf(d))).toEqual(['steps.b.dueInDays'])
  })

  it('names a dangling next, then and a missing start', () => {
    expect(errorsOf(def({ steps: [email('a', { next: 'zz' })] }))['steps.a.next']).toBe('workflow.next.dangling')
    expect(errorsOf(def({ start: 'nope' })).start).toBe('workflow.start.dangling')
    const branch: Step = {
      id: 'a',
      type: 'branch',
      condition: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '100000' }] },
      then: 'x',
      else: null,
    }
    expect(errorsOf(def({ steps: [branch] }))['steps.a.then']).toBe('workflow.then.dangling')
  })

  it('refuses a step no path reaches, two parents and a loop', () => {
    expect(errorsOf(def({ steps: [email('a'), task('b')] }))['steps.b']).toMatch('workflow.step.unreachable')
    const twoParents = errorsOf(
      def({
        steps: [
          { id: 'a', type: 'branch', condition: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '1' }] }, then: 'b', else: 'c' },
          email('b', { next: 'd' }),
          email('c', { next: 'd' }),
          task('d'),
        ],
      }),
    )
    expect(twoParents['steps.d']).toMatch('workflow.step.two_parents')
    expect(errorsOf(def({ steps: [email('a', { next: 'b' }), task('b', { next: 'a' })] }))['steps.b']).toMatch('workflow.step.cycle')
    expect(errorsOf(def({ steps: [email('a', { next: 'a' })] }))['steps.a.next']).toMatch('workflow.step.cycle')
  })

  it('refuses a branch leading nowhere', () => {
    const b: Step = {
      id: 'a',
      type: 'branch',
      condition: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '1' }] },
      then: null,
      else: null,
    }
    expect(errorsOf(def({ steps: [b] }))['steps.a.then']).toBe('workflow.branch.empty')
  })

  it('checks variables against the trigger', () => {
    expect(errorsOf(def({ steps: [email('a', { subject: 'Bonjour {{client.nom}}' })] }))['steps.a.subject']).toEqual({
      code: 'workflow.variable.unknown',
      params: { path: 'client.nom' },
    })
    // Deal variables do not exist for an organisation trigger.
    expect(errorsOf(def({ trigger: { kind: 'organisation.created' }, steps: [email('a', { body: '{{affaire.montant}}' })] }))['steps.a.body']).toEqual({
      code: 'workflow.variable.unknown',
      params: { path: 'affaire.montant' },
    })
    expect(errorsOf(def({ steps: [email('a', { body: 'x {{ }} y' })] }))['steps.a.body']).toMatchObject({ code: 'workflow.placeholder.invalid' })
  })

  it('allows webhook.* for webhook triggers only', () => {
    const d = def({
      trigger: { kind: 'webhook' },
      steps: [email('a', { to: { kind: 'email', address: '{{webhook.email}}' }, subject: 'Commande {{webhook.commande.id}}', body: 'Le {{date.aujourdhui}}' })],
    })
    expect(validateWorkflow(d, env).ok).toBe(true)
    expect(errorsOf(def({ steps: [email('a', { subject: '{{webhook.id}}' })] }))['steps.a.subject']).toEqual({
      code: 'workflow.variable.unknown',
      params: { path: 'webhook.id' },
    })
  })

  it('refuses record recipients and actions when the trigger has no record', () => {
    const e = errorsOf(
      def({
        trigger: { kind: 'schedule', cron: '0 9 * * 1' },
        steps: [email('a', { subject: 'Hebdo', body: 'Lundi', next: 'b' }), { id: 'b', type: 'add_tag', tag: 'x', next: null }],
      }),
    )
    expect(e['steps.a.to']).toBe('workflow.recipient.needs_record')
    expect(e['steps.b.tag']).toBe('workflow.action.needs_record')
  })

  it('checks condition fields and values by type', () => {
    const e = errorsOf(
      def({
        conditions: {
          combinator: 'and',
          rules: [
            { field: 'affaire.montant', op: 'gt', value: 'beaucoup' },
            {
              combinator: 'or',
              rules: [
                { field: 'affaire.inconnu', op: 'eq', value: '1' },
                { field: 'affaire.date_cloture', op: 'lt', value: '31/12/2026' },
              ],
            },
            { field: 'affaire.etape', op: 'eq', value: 'GAGNE' },
            { field: 'affaire.titre', op: 'eq', value: '' },
            { field: 'affaire.source', op: 'empty' },
          ],
        },
      }),
    )
    expect(e).toEqual({
      'conditions.0.value': 'workflow.value.not_number',
      'conditions.1.0.field': 'workflow.field.unknown',
      'conditions.1.1.value': 'workflow.value.not_date',
      'conditions.2.value': 'workflow.value.not_stage',
      'conditions.3.value': 'workflow.value.required',
    })
    expect(validateWorkflow(def({ conditions: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '100 000,50' }] } }), env).ok).toBe(
      true,
    )
  })

  it('requires the fields of each step type', () => {
    const e = errorsOf(
      def({
        steps: [
          email('a', { subject: ' ', body: '', next: 'b' }),
          task('b', { title: '', assignee: { kind: 'user', userId: '33333333-3333-4333-8333-333333333333' }, next: 'c' }),
          { id: 'c', type: 'assign', mode: 'user', userId: null, teamId: null, next: 'd' },
          { id: 'd', type: 'assign', mode: 'round_robin', userId: null, teamId: null, next: 'e' },
          { id: 'e', type: 'webhook', url: 'http://exemple.fr/hook', body: '', timeoutMs: 5000, next: 'f' },
          { id: 'f', type: 'notify', to: { kind: 'contact' }, title: '', body: '', next: 'g' },
          { id: 'g', type: 'delay', mode: 'duration', amount: 0, unit: 'days', field: null, offsetDays: 0, next: 'h' },
          { id: 'h', type: 'delay', mode: 'until_field', amount: 0, unit: 'days', field: 'affaire.montant', offsetDays: 0, next: null },
        ],
      }),
    )
    expect(e).toMatchObject({
      'steps.a.subject': 'workflow.field.required',
      'steps.a.body': 'workflow.field.required',
      'steps.b.title': 'workflow.field.required',
      'steps.b.assignee.userId': 'workflow.user.unknown',
      'steps.c.userId': 'workflow.field.required',
      'steps.d.teamId': 'workflow.field.required',
      'steps.e.url': expect.stringMatching('workflow.url.invalid'),
      'steps.f.to': expect.stringMatching(/contact/),
      'steps.f.title': 'workflow.field.required',
      'steps.g.amount': 'workflow.duration.not_positive',
      'steps.h.field': 'workflow.date_field.invalid',
    })
  })

  it('allows http://localhost webhooks only with the loopback switch of tests and benches', () => {
    const d = def({ steps: [{ id: 'a', type: 'webhook', url: 'http://localhost:4000/x', body: '', timeoutMs: 5000, next: null }] })
    expect(errorsOf(d)['steps.a.url']).toBe('workflow.url.internal')
    expect(validateWorkflow(d, { ...env, outbound: { allowHttp: false, allowLoopback: true } }).ok).toBe(true)
  })

  it('refuses internal addresses and http:// at publish, http only when the operator allows it', () => {
    const hook = (url: string) => def({ steps: [{ id: 'a', type: 'webhook', url, body: '', timeoutMs: 5000, next: null }] })
    for (const url of ['https://127.0.0.1/x', 'https://169.254.169.254/latest', 'https://[fd00:ec2::254]/', 'https://10.0.0.1/', 'https://[::ffff:127.0.0.1]/'])
      expect(errorsOf(hook(url))['steps.a.url'], url).toBe('workflow.url.internal')
    expect(errorsOf(hook('http://hooks.exemple.fr/x'))['steps.a.url']).toBe('workflow.url.invalid')
    expect(validateWorkflow(hook('http://hooks.exemple.fr/x'), { ...env, outbound: { allowHttp: true, allowLoopback: false } }).ok).toBe(true)
    expect(validateWorkflow(hook('https://hooks.exemple.fr/x'), env).ok).toBe(true)
  })

  it('checks update_field: updatable field, entity, value by type', () => {
    const upd = (field: string, value: string): Step => ({ id: 'a', type: 'update_field', field, value, next: null })
    expect(errorsOf(def({ steps: [upd('organisation.siren', '123')] }))['steps.a.field']).toMatch('workflow.field.not_updatable')
    expect(errorsOf(def({ steps: [upd('affaire.montant', 'douze')] }))['steps.a.value']).toBe('workflow.value.not_number')
    expect(errorsOf(def({ steps: [upd('affaire.etape', 'GAGNE')] }))['steps.a.value']).toBe('workflow.stage.unknown')
    expect(errorsOf(def({ steps: [upd('affaire.date_cloture', '2026-02-30')] }))['steps.a.value']).toMatch('workflow.value.not_date')
    expect(errorsOf(def({ trigger: { kind: 'organisation.created' }, steps: [upd('affaire.titre', 'x')] }))['steps.a.field']).toBe('workflow.field.deal_only')
    expect(validateWorkflow(def({ steps: [upd('affaire.etape', 'SIGNE')] }), env).ok).toBe(true)
    expect(validateWorkflow(def({ steps: [upd('organisation.statut', 'client')] }), env).ok).toBe(true)
  })

  it('checks trigger stages, updated fields and cron', () => {
    expect(errorsOf(def({ trigger: { kind: 'deal.stage_changed', from: 'GAGNE', to: 'GAGNE' } }))).toMatchObject({
      'trigger.from': 'workflow.stage.unknown',
      'trigger.to': 'workflow.stage.unknown',
    })
    expect(errorsOf(def({ trigger: { kind: 'deal.stage_changed', from: 'SIGNE', to: 'SIGNE' } }))['trigger.to']).toMatch('workflow.stages.same')
    expect(errorsOf(def({ trigger: { kind: 'deal.updated', fields: ['organisation.nom'] } }))['trigger.fields']).toEqual({
      code: 'workflow.trigger_field.unknown',
      params: { field: 'organisation.nom' },
    })
    expect(validateWorkflow(def({ trigger: { kind: 'deal.updated', fields: ['affaire.montant'] } }), env).ok).toBe(true)
    expect(errorsOf(def({ trigger: { kind: 'inactivity', entity: 'organisation', days: 30, stage: 'PROPOSITION' } }))['trigger.stage']).toMatch(
      'workflow.stage.deals_only',
    )
    const cron = (c: string) =>
      errorsOf(
        def({
          trigger: { kind: 'schedule', cron: c },
          steps: [{ id: 'a', type: 'notify', to: { kind: 'user', userId: USER }, title: 'Hebdo', body: '', next: null }],
        }),
      )['trigger.cron']
    expect(cron('0 9 * *')).toMatch('workflow.cron.fields')
    expect(cron('61 9 * * *')).toEqual({ code: 'workflow.cron.out_of_range', params: { value: '61', min: '0', max: '59' } })
    expect(cron('0 9 * * 1-5')).toBeUndefined()
  })
})

describe('the templates', () => {
  it('each one passes publishing validation on the default pipeline', async () => {
    const { WORKFLOW_TEMPLATES } = await import('./templates')
    const { DEFAULT_STAGES } = await import('../crm/pipeline')
    for (const tpl of WORKFLOW_TEMPLATES) {
      const r = validateWorkflow(tpl.definition, { stages: DEFAULT_STAGES.map((s) => s.code), userIds: [], teamIds: [] })
      expect(r.ok ? {} : r.errors, tpl.key).toEqual({})
    }
  })

  it('refuses the contact of an organisation just created, until a wait lets one be added', () => {
    const created = (steps: Step[], conditions: WorkflowDefinition['conditions'] = null) =>
      def({ trigger: { kind: 'organisation.created' }, conditions, start: steps[0].id, steps })
    // The e-mail to "le contact de la fiche" at once: no contact can exist yet.
    expect(errorsOf(created([email('a', { to: { kind: 'contact' }, subject: 'Bienvenue', body: 'Bonjour' })]))).toEqual({
      'steps.a.to': 'workflow.recipient.no_contact_yet',
    })
    expect(errorsOf(created([email('a', { body: 'Bonjour {{contact.prenom}},' })]))).toEqual({
      'steps.a.body': { code: 'workflow.variable.not_yet', params: { path: 'contact.prenom' } },
    })
    expect(errorsOf(created([task('a')], { combinator: 'and', rules: [{ field: 'contact.email', op: 'not_empty' }] }))).toEqual({
      'conditions.0.field': { code: 'workflow.variable.not_yet', params: { path: 'contact.email' } },
    })
    // After a wait, a contact may have been added: accepted (and a send with none fails at run time).
    const wait: Step = { id: 'w', type: 'delay', mode: 'duration', amount: 1, unit: 'days', field: null, offsetDays: 0, next: 'b' }
    expect(
      validateWorkflow(created([task('a', { next: 'w' }), wait, email('b', { to: { kind: 'contact' }, body: 'Bonjour {{contact.prenom}},' })]), env).ok,
    ).toBe(true)
    // Other triggers keep the contact (a deal has its contacts; an organisation updated later may have one).
    expect(validateWorkflow(def({ steps: [email('a', { to: { kind: 'contact' }, body: 'Bonjour {{contact.prenom}},' })] }), env).ok).toBe(true)
  })
})
