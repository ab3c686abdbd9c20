import { describe, expect, it } from 'vitest'
import { DomainError, NotFoundError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import type { WorkflowDefinition } from './workflow.definition.js'
import { canonical, createWorkflow, deleteWorkflow, disable, enable, publish, rotateSecret, saveDraft } from './workflow.decide.js'
import { blankDefinition, evolveWorkflow, type WorkflowEvent, type WorkflowState } from './workflow.js'
import type { ValidationResult } from './workflow.validate.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2026-11-27T10:00:00Z') }
const draft: WorkflowDefinition = {
  trigger: { kind: 'deal.created' },
  conditions: null,
  start: 'a',
  layout: {},
  steps: [{ id: 'a', type: 'add_tag', tag: 'Nouveau', next: null }],
}
const valid: ValidationResult = { ok: true, definition: draft }
const invalid: ValidationResult = { ok: false, errors: { 'steps.a.tag': 'workflow.field.required' } }
const given = (events: WorkflowEvent[]) =>
  events.reduce<WorkflowState | null>((s, e) => ({ ...evolveWorkflow(s, e, 'secret'), version: (s?.version ?? 0) + 1 }), null)!
const created = () => createWorkflow(null, { id: 'w-1', name: '  Relance  ', draft: blankDefinition() }, ctx)

describe('workflow decisions', () => {
  it('creates a disabled, unpublished workflow owned by its creator', () => {
    const s = given(created())
    expect(s).toMatchObject({
      id: 'w-1',
      name: 'Relance',
      enabled: false,
      published_version: null,
      owner_id: 'u-1',
      webhook_secret: 'secret',
      deleted_at: null,
    })
    // The secret never goes into the event.
    expect(JSON.stringify(created())).not.toContain('secret')
  })

  it('refuses an empty name in French', () => {
    expect(() => createWorkflow(null, { id: 'w-1', name: ' ', draft: blankDefinition() }, ctx)).toThrow(ValidationError)
    try {
      createWorkflow(null, { id: 'w-1', name: '', draft: blankDefinition() }, ctx)
    } catch (e) {
      expect((e as ValidationError).fieldErrors).toEqual({ name: 'name.required' })
    }
  })

  it('saves only what changed', () => {
    const s = given(created())
    expect(saveDraft(s, { name: 'Relance', description: '', draft: blankDefinition() }, ctx)).toEqual([])
    expect(saveDraft(s, { name: 'Relance J+30', description: '', draft }, ctx).map((e) => e.type)).toEqual(['WorkflowRenamed', 'WorkflowDraftSaved'])
  })

  it('refuses a malformed draft', () => {
    expect(() => saveDraft(given(created()), { name: 'x', description: '', draft: { steps: 'non' } }, ctx)).toThrow(ValidationError)
  })

  it('publishes version n+1 with its trigger kind, or refuses with the validation errors', () => {
    let s = given([...created(), ...saveDraft(given(created()), { name: 'Relance', description: '', draft }, ctx)])
    const v1 = publish(s, { validation: valid }, ctx)
    expect(v1).toEqual([{ type: 'WorkflowPublished', data: { id: 'w-1', at: ctx.now.toISOString(), version: 1, trigger_kind: 'deal.created' } }])
    s = given([...created(), ...v1])
    expect(publish(s, { validation: valid }, ctx)[0].data).toMatchObject({ version: 2 })
    try {
      publish(s, { validation: invalid }, ctx)
      expect.unreachable()
    } catch (e) {
      expect((e as ValidationError).fieldErrors).toEqual(invalid.ok ? {} : invalid.errors)
    }
  })

  it('enabling an unpublished workflow publishes it first, or is refused', () => {
    const s = given(created())
    expect(enable(s, { validation: valid }, ctx).map((e) => e.type)).toEqual(['WorkflowPublished', 'WorkflowEnabled'])
    expect(() => enable(s, { validation: invalid }, ctx)).toThrow(ValidationError)
    expect(() => enable(s, { validation: null }, ctx)).toThrow(DomainError)
    const published = given([...created(), ...publish(s, { validation: valid }, ctx)])
    expect(enable(published, { validation: invalid }, ctx).map((e) => e.type)).toEqual(['WorkflowEnabled'])
  })

  it('enable and disable are idempotent', () => {
    const on = given([...created(), ...enable(given(created()), { validation: valid }, ctx)])
    expect(on.enabled).toBe(true)
    expect(enable(on, { validation: valid }, ctx)).toEqual([])
    expect(disable(given(created()), ctx)).toEqual([])
    expect(disable(on, ctx).map((e) => e.type)).toEqual(['WorkflowDisabled'])
  })

  it('deletes softly and then treats the workflow as missing', () => {
    const gone = given([...created(), ...deleteWorkflow(given(created()), ctx)])
    expect(gone.deleted_at).toEqual(ctx.now)
    expect(gone.enabled).toBe(false)
    expect(() => saveDraft(gone, { name: 'x', description: '', draft }, ctx)).toThrow(NotFoundError)
    expect(() => rotateSecret(gone, { fingerprint: 'ab' }, ctx)).toThrow(NotFoundError)
  })

  it('compares drafts by content whatever the key order', () => {
    expect(canonical({ b: 1, a: [{ y: 2, x: null }] })).toBe(canonical({ a: [{ x: null, y: 2 }], b: 1 }))
  })
})
