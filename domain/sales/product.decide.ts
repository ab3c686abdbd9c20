import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { MAX_UNIT_PRICE_CENTS } from './money.js'
import type { ProductEvent, ProductFields, ProductState } from './product.js'
import { checkVat } from './vat.js'

export const NAME_MAX = 200
export const CODE_MAX = 40
export const UNIT_MAX = 30
export const DESCRIPTION_MAX = 5000
export const CATEGORY_MAX = 80

const clean = (s: string | null | undefined) => s?.trim().replace(/\s+/g, ' ') || null

/** Checks and normalises a product's fields; throws a ValidationError with a code beside each field. */
export function validateProductFields(input: ProductFields): ProductFields {
  const errors: FieldProblems = {}
  const name = clean(input.name) ?? ''
  if (!name) errors.name = 'name.required'
  else if (name.length > NAME_MAX) errors.name = { code: 'name.too_long', params: { max: NAME_MAX } }
  const code = clean(input.code)
  if (code && code.length > CODE_MAX) errors.code = { code: 'code.too_long', params: { max: CODE_MAX } }
  const unit = clean(input.unit) ?? ''
  if (!unit) errors.unit = 'product.unit.required'
  else if (unit.length > UNIT_MAX) errors.unit = { code: 'unit.too_long', params: { max: UNIT_MAX } }
  const description = input.description?.trim() || null
  if (description && description.length > DESCRIPTION_MAX) errors.description = { code: 'description.too_long', params: { max: DESCRIPTION_MAX } }
  const category = clean(input.category)
  if (category && category.length > CATEGORY_MAX) errors.category = { code: 'product.category.too_long', params: { max: CATEGORY_MAX } }
  if (!Number.isSafeInteger(input.unit_price_cents)) errors.unit_price_cents = 'product.unit_price.invalid'
  else if (input.unit_price_cents < 0) errors.unit_price_cents = 'product.unit_price.negative'
  else if (input.unit_price_cents > MAX_UNIT_PRICE_CENTS) errors.unit_price_cents = 'unit_price.too_large'
  const vat = checkVat(input.vat_rate, input.vat_exemption)
  if (!vat.ok) errors[vat.field] = vat.problem
  if (Object.keys(errors).length || !vat.ok) throw new ValidationError(errors)
  return { code, name, description, unit, unit_price_cents: input.unit_price_cents, vat_rate: vat.rate, vat_exemption: vat.exemption, category }
}

export function createProduct(state: ProductState | null, cmd: { id: string; fields: ProductFields }, ctx: CommandContext): ProductEvent[] {
  if (state) throw new DomainError('product.exists')
  const fields = validateProductFields(cmd.fields)
  return [{ type: 'ProductCreated', data: { id: cmd.id, workspace_id: ctx.workspaceId, at: ctx.now.toISOString(), ...fields } }]
}

export function updateProduct(state: ProductState | null, cmd: { fields: ProductFields }, ctx: CommandContext): ProductEvent[] {
  if (!state) throw new NotFoundError('product.not_found')
  if (!state.active) throw new DomainError('product.archived', undefined, { status: 409 })
  const fields = validateProductFields(cmd.fields)
  const changes: Partial<ProductFields> = {}
  for (const k of Object.keys(fields) as (keyof ProductFields)[]) {
    if (fields[k] !== state[k]) (changes as Record<string, unknown>)[k] = fields[k]
  }
  if (Object.keys(changes).length === 0) return []
  return [{ type: 'ProductUpdated', data: { id: state.id, at: ctx.now.toISOString(), changes } }]
}

export function archiveProduct(state: ProductState | null, ctx: CommandContext): ProductEvent[] {
  if (!state) throw new NotFoundError('product.not_found')
  if (!state.active) return []
  return [{ type: 'ProductArchived', data: { id: state.id, at: ctx.now.toISOString() } }]
}

export function restoreProduct(state: ProductState | null, ctx: CommandContext): ProductEvent[] {
  if (!state) throw new NotFoundError('product.not_found')
  if (state.active) return []
  return [{ type: 'ProductRestored', data: { id: state.id, at: ctx.now.toISOString() } }]
}
