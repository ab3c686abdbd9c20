import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../shared/events.js'
import { ValidationError } from '../shared/errors.js'
import { evolveDeal, type DealEvent, type DealFields } from './deal.js'
import { changeDealStage, createDeal, updateDeal } from './deal.decide.js'
import { DEFAULT_STAGES } from './pipeline.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2026-03-29T09:00:00Z') }
const fields: DealFields = {
  title: 'Migration ERP',
  organisation_id: 'org-1',
  amount_cents: 4_500_000,
  expected_close_date: '2026-06-30',
  owner_id: 'u-1',
  category: 'Services',
  source: null,
  region: null,
}
const given = (events: DealEvent[]) => events.reduce((s, e) => evolveDeal(s, e), null as ReturnType<typeof evolveDeal> | null)

describe('deal decisions', () => {
  it('creates a deal at an open stage with that stage probability', () => {
    const events = createDeal(null, { id: 'd-1', fields, stage: 'PROPOSITION' }, DEFAULT_STAGES, ctx)
    expect(events).toEqual([
      expect.objectContaining({ type: 'DealCreated', data: expect.objectContaining({ stage: 'PROPOSITION', probability: 50, amount_cents: 4_500_000 }) }),
    ])
  })

  it('refuses a negative amount with a French message on the amount field', () => {
    try {
      createDeal(null, { id: 'd-1', fields: { ...fields, amount_cents: -100 }, stage: 'PROSPECT' }, DEFAULT_STAGES, ctx)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError)
      expect((e as ValidationError).fieldErrors).toEqual({ amount_cents: 'deal.amount.negative' })
    }
  })

  it('refuses to create a deal directly as won', () => {
    expect(() => createDeal(null, { id: 'd-1', fields, stage: 'SIGNE' }, DEFAULT_STAGES, ctx)).toThrow(ValidationError)
  })

  it('requires a lost reason to move to PERDU', () => {
    const state = given(createDeal(null, { id: 'd-1', fields, stage: 'PROSPECT' }, DEFAULT_STAGES, ctx))
    expect(() => changeDealStage(state, { to: 'PERDU' }, DEFAULT_STAGES, ctx)).toThrow('lost_reason: deal.lost_reason.required')
    const [lost] = changeDealStage(state, { to: 'PERDU', lostReason: 'Budget gelé' }, DEFAULT_STAGES, ctx)
    expect(lost.data).toMatchObject({ from: 'PROSPECT', to: 'PERDU', lost_reason: 'Budget gelé', closed: true, probability: 0 })
  })

  it('closes the deal when signed and reopens it when moved back', () => {
    const created = createDeal(null, { id: 'd-1', fields, stage: 'NEGOCIATION' }, DEFAULT_STAGES, ctx)
    const won = changeDealStage(given(created), { to: 'SIGNE' }, DEFAULT_STAGES, ctx)
    const signed = given([...created, ...won])!
    expect(signed.closed_at).toEqual(ctx.now)
    const reopened = given([...created, ...won, ...changeDealStage(signed, { to: 'NEGOCIATION' }, DEFAULT_STAGES, ctx)])!
    expect(reopened.closed_at).toBeNull()
    expect(reopened.stage).toBe('NEGOCIATION')
  })

  it('records why a won deal leaves its won stage, and only then', () => {
    const created = createDeal(null, { id: 'd-1', fields, stage: 'NEGOCIATION' }, DEFAULT_STAGES, ctx)
    const [won] = changeDealStage(given(created), { to: 'SIGNE', reopenReason: 'ignoré' }, DEFAULT_STAGES, ctx)
    expect(won.data).not.toHaveProperty('reopen_reason')
    const [back] = changeDealStage(given([...created, won]), { to: 'NEGOCIATION', reopenReason: '  Avenant à signer  ' }, DEFAULT_STAGES, ctx)
    expect(back.data).toMatchObject({ from: 'SIGNE', to: 'NEGOCIATION', reopen_reason: 'Avenant à signer' })
  })

  it('records nothing when nothing changes', () => {
    const state = given(createDeal(null, { id: 'd-1', fields, stage: 'PROSPECT' }, DEFAULT_STAGES, ctx))
    expect(changeDealStage(state, { to: 'PROSPECT' }, DEFAULT_STAGES, ctx)).toEqual([])
    expect(updateDeal(state, { fields }, ctx)).toEqual([])
    expect(updateDeal(state, { fields: { ...fields, amount_cents: 1 } }, ctx)).toEqual([
      expect.objectContaining({ type: 'DealUpdated', data: expect.objectContaining({ changes: { amount_cents: 1 } }) }),
    ])
  })
})
