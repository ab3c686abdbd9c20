import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { amountProblem } from '../shared/plausible.js'
import { collectText } from '../shared/user-text.js'
import { MAX_UNIT_PRICE_CENTS } from './money.js'
import type { ProductEvent, ProductFields, ProductState } from './product.js'
import { checkVat } from './vat.js'

/** Single-line labels: runs of spaces become one. */
const squash = (s: string | null | undefined) => s?.replace(/[ \u00a0]+/g, ' ') ?? null

/** Checks and normalises a product's fields; throws a ValidationError with a code beside each field. */
export function validateProductFields(input: ProductFields): ProductFields {
  const errors: FieldProblems = {}
  const name = collectText(errors, 'name', squash(input.name ?? ''), 'name', (max) => ({ code: 'name.too_long', params: { max } })) ?? ''
  if (!name) errors.name ??= 'name.required'
  const code = collectText(errors, 'code', squash(input.code), 'code', (max) => ({ code: 'code.too_long', params: { max } }))
  const unit = collectText(errors, 'unit', squash(input.unit ?? ''), 'unit', (max) => ({ code: 'unit.too_long', params: { max } })) ?? ''
  if (!unit) errors.unit ??= 'product.unit.required'
  const description = collectText(errors, 'description', input.description ?? null, 'description', (max) => ({ code: 'description.too_long', params: { max } }))
  const category = collectText(errors, 'category', squash(input.category), 'category', (max) => ({ code: 'product.category.too_long', params: { max } }))
  // A unit price has its own, lower bound (1 milliard €): a line or a total may reach the general one.
  const price = amountProblem(input.unit_price_cents, { invalid: 'product.unit_price.invalid', negative: 'product.unit_price.negative' })
  if (price) errors.unit_price_cents = price
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
