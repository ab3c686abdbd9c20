import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from './workflow.definition'
import { addStep, canConnect, chainFrom, connect, detachedHeads, moveStep, removeStep } from './workflow.edit'

const empty: WorkflowDefinition = { trigger: { kind: 'deal.created' }, conditions: null, start: null, steps: [], layout: {} }
const shape = (d: WorkflowDefinition) => ({
  start: d.start,
  steps: d.steps.map((s) => (s.type === 'branch' ? `${s.id}?${s.then}:${s.else}` : `${s.id}>${s.next}`)),
})

describe('editing the step tree', () => {
  it('adds steps first, after a step, and inside a branch', () => {
    let d = addStep(empty, 'send_email', { at: 'start' }).def
    d = addStep(d, 'create_task', { at: 'after', stepId: 'email-1' }).def
    d = addStep(d, 'branch', { at: 'after', stepId: 'email-1' }).def
    expect(shape(d)).toEqual({ start: 'email-1', steps: ['email-1>si-1', 'si-1?tache-1:null', 'tache-1>null'] })
    d = addStep(d, 'notify', { at: 'else', stepId: 'si-1' }).def
    d = addStep(d, 'add_tag', { at: 'then', stepId: 'si-1' }).def
    expect(shape(d)).toEqual({ start: 'email-1', steps: ['email-1>si-1', 'si-1?etiquette-1:notif-1', 'etiquette-1>tache-1', 'tache-1>null', 'notif-1>null'] })
    d = addStep(d, 'delay', { at: 'start' }).def
    expect(d.start).toBe('attente-1')
    expect(chainFrom(d, d.start).map((s) => s.id)).toEqual(['attente-1', 'email-1', 'si-1'])
  })

  it('refuses "after" on a branch', () => {
    const d = addStep(empty, 'branch', { at: 'start' }).def
    expect(addStep(d, 'notify', { at: 'after', stepId: 'si-1' }).def).toBe(d)
  })

  it('removes a step, and a branch with its "sinon" list', () => {
    let d = addStep(empty, 'send_email', { at: 'start' }).def
    d = addStep(d, 'branch', { at: 'after', stepId: 'email-1' }).def
    d = addStep(d, 'create_task', { at: 'then', stepId: 'si-1' }).def
    d = addStep(d, 'notify', { at: 'else', stepId: 'si-1' }).def
    expect(shape(removeStep(d, 'email-1'))).toEqual({ start: 'si-1', steps: ['si-1?tache-1:notif-1', 'tache-1>null', 'notif-1>null'] })
    expect(shape(removeStep(d, 'si-1'))).toEqual({ start: 'email-1', steps: ['email-1>tache-1', 'tache-1>null'] })
  })

  it('moves a step up and down within its list only', () => {
    let d = addStep(empty, 'send_email', { at: 'start' }).def
    d = addStep(d, 'create_task', { at: 'after', stepId: 'email-1' }).def
    d = addStep(d, 'notify', { at: 'after', stepId: 'tache-1' }).def
    expect(shape(moveStep(d, 'notif-1', 'up'))).toEqual({ start: 'email-1', steps: ['email-1>notif-1', 'notif-1>tache-1', 'tache-1>null'] })
    expect(shape(moveStep(d, 'email-1', 'down'))).toEqual({ start: 'tache-1', steps: ['tache-1>email-1', 'email-1>notif-1', 'notif-1>null'] })
    expect(moveStep(d, 'email-1', 'up')).toBe(d)
    expect(moveStep(d, 'notif-1', 'down')).toBe(d)
  })

  it('connects only by the tree rules', () => {
    let d = addStep(empty, 'send_email', { at: 'start' }).def
    d = addStep(d, 'create_task', { at: 'after', stepId: 'email-1' }).def
    d = connect(d, 'email-1', 'next', null)
    expect(detachedHeads(d)).toEqual(['tache-1'])
    expect(canConnect(d, 'tache-1', 'next', 'email-1')).toBe(false) // email-1 is the start
    expect(canConnect(d, 'email-1', 'then', 'tache-1')).toBe(false) // not a branch
    expect(canConnect(d, 'email-1', 'next', 'tache-1')).toBe(true)
    d = connect(d, 'email-1', 'next', 'tache-1')
    expect(shape(d)).toEqual({ start: 'email-1', steps: ['email-1>tache-1', 'tache-1>null'] })
    expect(connect(d, 'tache-1', 'next', 'tache-1')).toBe(d)
  })
})
