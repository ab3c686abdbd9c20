import { describe, expect, it } from 'vitest'
import { editConditions, groupAt, parseBrackets, readEditorForm } from './workflows-form'

const form = (pairs: Array<[string, string]>) => {
  const f = new FormData()
  for (const [k, v] of pairs) f.append(k, v)
  return f
}

describe('reading the editor form', () => {
  it('parses bracketed names, repeated [] values and numeric keys in order', () => {
    expect(
      parseBrackets([
        ['a[b][1][c]', 'x'],
        ['a[b][0][c]', 'y'],
        ['l[]', '1'],
        ['l[]', '2'],
        ['bad]name', 'z'],
      ]),
    ).toEqual({ a: { b: { 1: { c: 'x' }, 0: { c: 'y' } } }, l: ['1', '2'] })
  })

  it('reads a whole draft: trigger, nested conditions, steps by type, links', () => {
    const r = readEditorForm(
      form([
        ['name', 'Relance'],
        ['description', ''],
        ['start', 'si-1'],
        ['layout_json', '{"si-1":{"x":1,"y":2}}'],
        ['trigger[kind]', 'deal.updated'],
        ['trigger[fields][]', 'affaire.montant'],
        ['trigger[fields][]', 'affaire.etape'],
        ['conditions[combinator]', 'or'],
        ['conditions[rules][0][field]', 'affaire.montant'],
        ['conditions[rules][0][op]', 'gt'],
        ['conditions[rules][0][value]', '50 000'],
        ['conditions[rules][1][combinator]', 'and'],
        ['conditions[rules][1][rules][0][field]', 'affaire.source'],
        ['conditions[rules][1][rules][0][op]', 'empty'],
        ['steps[0][id]', 'si-1'],
        ['steps[0][type]', 'branch'],
        ['steps[0][then]', 'tache-1'],
        ['steps[0][else]', ''],
        ['steps[0][condition][combinator]', 'and'],
        ['steps[0][condition][rules][0][field]', 'affaire.etape'],
        ['steps[0][condition][rules][0][op]', 'eq'],
        ['steps[0][condition][rules][0][value]', 'SIGNE'],
        ['steps[1][id]', 'tache-1'],
        ['steps[1][type]', 'create_task'],
        ['steps[1][next]', ''],
        ['steps[1][title]', 'Appeler'],
        ['steps[1][assignee][kind]', 'user'],
        ['steps[1][assignee][userId]', ''],
        ['steps[1][dueInDays]', 'demain'],
        ['steps[1][priority]', 'high'],
        ['steps[1][label]', '  '],
      ]),
    )
    expect(r.name).toBe('Relance')
    expect(r.draft.trigger).toEqual({ kind: 'deal.updated', fields: ['affaire.montant', 'affaire.etape'] })
    expect(r.draft.conditions).toEqual({
      combinator: 'or',
      rules: [
        { field: 'affaire.montant', op: 'gt', value: '50 000' },
        { combinator: 'and', rules: [{ field: 'affaire.source', op: 'empty', value: '' }] },
      ],
    })
    expect(r.draft.layout).toEqual({ 'si-1': { x: 1, y: 2 } })
    expect(r.draft.steps[0]).toEqual({
      id: 'si-1',
      type: 'branch',
      condition: { combinator: 'and', rules: [{ field: 'affaire.etape', op: 'eq', value: 'SIGNE' }] },
      then: 'tache-1',
      else: null,
    })
    // Kept as typed, for the schema to name: an unchosen user, a number that is not one.
    expect(r.draft.steps[1]).toMatchObject({ assignee: { kind: 'user', userId: '' }, priority: 'high', next: null })
    expect(r.draft.steps[1]).not.toHaveProperty('label')
    expect(Number.isNaN((r.draft.steps[1] as { dueInDays: number }).dueInDays)).toBe(true)
  })

  it('prefers the visual editor’s draft_json', () => {
    const draft = { trigger: { kind: 'webhook' }, conditions: null, start: null, steps: [], layout: {} }
    expect(
      readEditorForm(
        form([
          ['name', 'x'],
          ['draft_json', JSON.stringify(draft)],
          ['trigger[kind]', 'deal.created'],
        ]),
      ).draft,
    ).toEqual(draft)
  })

  it('adds, groups and removes condition rules by path', () => {
    let d = readEditorForm(form([['trigger[kind]', 'organisation.created']])).draft
    expect(d.conditions).toBeNull()
    d = editConditions(d, 'add', 'conditions')
    expect(d.conditions).toEqual({ combinator: 'and', rules: [{ field: 'organisation.nom', op: 'eq', value: '' }] })
    d = editConditions(d, 'group', 'conditions')
    d = editConditions(d, 'add', 'conditions.1')
    expect(groupAt(d, 'conditions.1')!.rules).toHaveLength(2)
    d = editConditions(d, 'remove', 'conditions.1')
    d = editConditions(d, 'remove', 'conditions.0')
    expect(d.conditions).toBeNull()
  })
})
