import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { runCommand } from '../shared/run-command.js'
import { NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { evolveProduct, type ProductFields } from './product.js'
import { archiveProduct, createProduct, restoreProduct, updateProduct, validateProductFields } from './product.decide.js'
import { productRepository } from './sales.repository.js'

// The command handlers routes, the CSV import and jobs call. Each one: load, decide,
// save + events, in one transaction.

const NAME_TAKEN = 'product.name.taken'
const CODE_TAKEN = 'product.code.taken'

/** Names and codes are unique among active products (accents and case folded, as the index). */
async function assertUnique(db: Db, workspaceId: string, fields: Pick<ProductFields, 'name' | 'code'>, exceptId: string | null) {
  const errors: FieldProblems = {}
  let q = db
    .selectFrom('products')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .where(sql<boolean>`f_unaccent(lower(name)) = f_unaccent(lower(${fields.name}))`)
  if (exceptId) q = q.where('id', '<>', exceptId)
  if (await q.executeTakeFirst()) errors.name = NAME_TAKEN
  if (fields.code) {
    let c = db
      .selectFrom('products')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('active', '=', true)
      .where(sql<boolean>`lower(code) = lower(${fields.code})`)
    if (exceptId) c = c.where('id', '<>', exceptId)
    if (await c.executeTakeFirst()) errors.code = CODE_TAKEN
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
}

/** A lost race on the unique indexes becomes the same field error as the check above. */
async function translateUniqueViolation<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    const err = e as { code?: string; constraint_name?: string }
    if (err.code === '23505' && err.constraint_name === 'products_ws_name_key') throw new ValidationError({ name: NAME_TAKEN })
    if (err.code === '23505' && err.constraint_name === 'products_ws_code_key') throw new ValidationError({ code: CODE_TAKEN })
    throw e
  }
}

export async function createProductCommand(db: Db, ctx: CommandContext, cmd: { id: string; fields: ProductFields }) {
  const fields = validateProductFields(cmd.fields)
  await assertUnique(db, ctx.workspaceId, fields, null)
  return translateUniqueViolation(() =>
    runCommand(db, ctx, {
      type: 'CreateProduct',
      repository: productRepository,
      streamId: cmd.id,
      decide: (s) => createProduct(s, { ...cmd, fields }, ctx),
      evolve: evolveProduct,
    }),
  )
}

export async function updateProductCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion: number; fields: ProductFields }) {
  const fields = validateProductFields(cmd.fields)
  await assertUnique(db, ctx.workspaceId, fields, cmd.id)
  return translateUniqueViolation(() =>
    runCommand(db, ctx, {
      type: 'UpdateProduct',
      repository: productRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => updateProduct(s, { fields }, ctx),
      evolve: evolveProduct,
    }),
  )
}

/** Withdraws a product from the catalogue; quotes that already have it keep their lines. */
export function archiveProductCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return runCommand(db, ctx, {
    type: 'ArchiveProduct',
    repository: productRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => archiveProduct(s, ctx),
    evolve: evolveProduct,
  })
}

/** Back in the catalogue, unless an active product took its name or code meanwhile. */
export async function restoreProductCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  const p = await db.selectFrom('products').select(['name', 'code']).where('workspace_id', '=', ctx.workspaceId).where('id', '=', cmd.id).executeTakeFirst()
  if (!p) throw new NotFoundError('product.not_found')
  await assertUnique(db, ctx.workspaceId, p, cmd.id)
  return translateUniqueViolation(() =>
    runCommand(db, ctx, {
      type: 'RestoreProduct',
      repository: productRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => restoreProduct(s, ctx),
      evolve: evolveProduct,
    }),
  )
}
