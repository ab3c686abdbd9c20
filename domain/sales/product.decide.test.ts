import { describe, expect, it } from 'vitest'
import { DomainError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { evolveProduct, type ProductEvent, type ProductFields, type ProductState } from './product.js'
import { archiveProduct, createProduct, restoreProduct, updateProduct } from './product.decide.js'

const ctx: CommandContext = { workspaceId: '00000000-0000-4000-8000-000000000001', actorId: null, now: new Date('2026-11-02T09:00:00Z') }
const ID = '00000000-0000-4000-8000-0000000000e1'
const given = (events: ProductEvent[]): ProductState => events.reduce<ProductState | null>((s, e) => evolveProduct(s, e), null)!
const fields: ProductFields = {
  code: 'CONS-J',
  name: 'Journée de conseil',
  description: null,
  unit: 'jour',
  unit_price_cents: 85_000,
  vat_rate: 2000,
  vat_exemption: null,
  category: 'Conseil',
}
const errorsOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error('expected a ValidationError')
}

describe('catalogue products', () => {
  it('creates an active product with its fields cleaned', () => {
    const events = createProduct(null, { id: ID, fields: { ...fields, name: '  Journée   de conseil ', code: ' CONS-J ' } }, ctx)
    expect(events).toEqual([{ type: 'ProductCreated', data: { id: ID, workspace_id: ctx.workspaceId, at: '2026-11-02T09:00:00.000Z', ...fields } }])
    expect(given(events)).toMatchObject({ active: true, archived_at: null, name: 'Journée de conseil' })
  })

  it('says in French what is wrong', () => {
    expect(
      errorsOf(() =>
        createProduct(null, { id: ID, fields: { ...fields, name: '', unit: '', unit_price_cents: -1, vat_rate: 1960 as ProductFields['vat_rate'] } }, ctx),
      ),
    ).toEqual({
      name: 'name.required',
      unit: 'product.unit.required',
      unit_price_cents: 'product.unit_price.negative',
      vat_rate: 'vat.rate.invalid',
    })
  })

  it('requires the exemption mention at 0 % and drops it at 20 %', () => {
    expect(errorsOf(() => createProduct(null, { id: ID, fields: { ...fields, vat_rate: 0 } }, ctx))).toEqual({
      vat_exemption: expect.stringMatching('vat.exemption.required'),
    })
    const [exempt] = createProduct(null, { id: ID, fields: { ...fields, vat_rate: 0, vat_exemption: 'TVA non applicable, art. 293 B du CGI' } }, ctx)
    expect(exempt.data).toMatchObject({ vat_rate: 0, vat_exemption: 'TVA non applicable, art. 293 B du CGI' })
    const [normal] = createProduct(null, { id: ID, fields: { ...fields, vat_exemption: 'Autoliquidation' } }, ctx)
    expect(normal.data).toMatchObject({ vat_rate: 2000, vat_exemption: null })
  })

  it('updates only what changed', () => {
    const s = given(createProduct(null, { id: ID, fields }, ctx))
    expect(updateProduct(s, { fields }, ctx)).toEqual([])
    expect(updateProduct(s, { fields: { ...fields, unit_price_cents: 90_000 } }, ctx)).toEqual([
      { type: 'ProductUpdated', data: { id: ID, at: '2026-11-02T09:00:00.000Z', changes: { unit_price_cents: 90_000 } } },
    ])
  })

  it('archives and restores, and an archived product is not edited', () => {
    const created = createProduct(null, { id: ID, fields }, ctx)
    const archived = [...created, ...archiveProduct(given(created), ctx)]
    expect(given(archived)).toMatchObject({ active: false, archived_at: ctx.now })
    expect(archiveProduct(given(archived), ctx)).toEqual([])
    expect(() => updateProduct(given(archived), { fields }, ctx)).toThrow(DomainError)
    expect(() => updateProduct(given(archived), { fields }, ctx)).toThrow('product.archived')
    const restored = [...archived, ...restoreProduct(given(archived), ctx)]
    expect(given(restored)).toMatchObject({ active: true, archived_at: null })
  })
})
