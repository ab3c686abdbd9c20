import { describe, expect, it } from 'vitest'
import { definitionSchema, childrenOf } from './workflow.definition.js'
import { WORKFLOW_TEMPLATES } from './templates.js'
import { validateWorkflow } from './workflow.validate.js'

describe('workflow templates', () => {
  it('are three valid definitions whose steps all exist and are reachable from start', () => {
    expect(WORKFLOW_TEMPLATES.map((t) => t.key)).toEqual(['relance-automatique', 'onboarding-nouveau-client', 'lead-nurturing'])
    for (const t of WORKFLOW_TEMPLATES) {
      expect(() => definitionSchema.parse(t.definition)).not.toThrow()
      const byId = new Map(t.definition.steps.map((s) => [s.id, s]))
      const seen = new Set<string>()
      const walk = (id: string | null) => {
        if (!id) return
        expect(byId.has(id), `${t.key}: ${id}`).toBe(true)
        seen.add(id)
        for (const c of childrenOf(byId.get(id)!)) walk(c)
      }
      walk(t.definition.start)
      expect(seen.size).toBe(t.definition.steps.length)
    }
  })

  it('each passes the checks of publishing as it is (no contact asked of an organisation just created)', () => {
    const env = { stages: ['PROSPECT', 'QUALIFICATION', 'PROPOSITION', 'NEGOCIATION', 'SIGNE', 'PERDU'], userIds: [], teamIds: [] }
    for (const t of WORKFLOW_TEMPLATES) expect(validateWorkflow(t.definition, env), t.key).toMatchObject({ ok: true })
  })
})
