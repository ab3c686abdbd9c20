import type { Db } from '../../db/kysely.js'
import type { TerminationReason } from '../../db/schema.js'
import { NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { parisDay } from '../shared/paris-time.js'
import { runCommand } from '../shared/run-command.js'
import { cancelItemsAfter, writeBillingItems } from './billing-items.js'
import { evolveContract, type AmendmentChanges, type ContractEvent, type ContractFields } from './contract.js'
import {
  activateContract,
  amendContract,
  attachSignedFile,
  closeTerm,
  createContract,
  markRenewalDue,
  terminateContract,
  updateContract,
} from './contract.decide.js'
import { contractRepository } from './contract.repository.js'

// The command handlers routes, jobs and the seed call. Each runs in one transaction: the
// contract's row and events, plus the billing items that follow from them.

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/** Organisation, deal, quote, contact and owner must belong to the workspace (routes check the user may see them). */
async function assertReferences(db: Db, workspaceId: string, f: ContractFields) {
  const errors: FieldProblems = {}
  const exists = async (table: 'organisations' | 'contacts' | 'deals', id: string) =>
    !!(await db.selectFrom(table).select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst())
  if (f.organisation_id && !(await exists('organisations', f.organisation_id))) errors.organisation_id = 'organisation.not_found'
  if (f.contact_id && !(await exists('contacts', f.contact_id))) errors.contact_id = 'contact.not_found'
  if (f.deal_id && !(await exists('deals', f.deal_id))) errors.deal_id = 'deal.not_found'
  if (f.quote_id) {
    const q = await db.selectFrom('quotes').select('id').where('workspace_id', '=', workspaceId).where('id', '=', f.quote_id).executeTakeFirst()
    if (!q) errors.quote_id = 'quote.not_found'
  }
  if (f.owner_id) {
    const u = await db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', f.owner_id)
      .where('active', '=', true)
      .executeTakeFirst()
    if (!u) errors.owner_id = 'owner.not_found'
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
}

const run = (db: Db, ctx: CommandContext, type: string, id: string, decide: Parameters<typeof runCommand>[2]['decide'], expectedVersion?: number) =>
  runCommand(db, ctx, { type, repository: contractRepository, streamId: id, expectedVersion, decide: decide as never, evolve: evolveContract })

export async function createContractCommand(db: Db, ctx: CommandContext, cmd: { id: string; fields: ContractFields; activate?: boolean }) {
  await assertReferences(db, ctx.workspaceId, cmd.fields)
  return inTransaction(db, async (trx) => {
    const r = await run(trx, ctx, 'CreateContract', cmd.id, (s) => createContract(s as never, cmd, ctx))
    if (!r.duplicate && r.state) await writeBillingItems(trx, r.state, parisDay(ctx.now), ctx.now)
    return r
  })
}

export async function updateContractCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion: number; fields: ContractFields }) {
  await assertReferences(db, ctx.workspaceId, cmd.fields)
  return run(db, ctx, 'UpdateContract', cmd.id, (s) => updateContract(s as never, cmd, ctx), cmd.expectedVersion)
}

export function activateContractCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return inTransaction(db, async (trx) => {
    const r = await run(trx, ctx, 'ActivateContract', cmd.id, (s) => activateContract(s as never, ctx), cmd.expectedVersion)
    if (!r.duplicate && r.state) await writeBillingItems(trx, r.state, parisDay(ctx.now), ctx.now)
    return r
  })
}

export function amendContractCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; effectiveDate: string; changes: AmendmentChanges; reason: string | null },
) {
  return run(db, ctx, 'AmendContract', cmd.id, (s) => amendContract(s as never, cmd, ctx), cmd.expectedVersion)
}

export function terminateContractCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; reason: TerminationReason; effectiveDate: string; comment: string | null },
) {
  return inTransaction(db, async (trx) => {
    const r = await run(trx, ctx, 'TerminateContract', cmd.id, (s) => terminateContract(s as never, cmd, ctx), cmd.expectedVersion)
    if (!r.duplicate && r.state) await cancelItemsAfter(trx, r.state, cmd.effectiveDate)
    return r
  })
}

export function attachSignedFileCommand(db: Db, ctx: CommandContext, cmd: { id: string; sha256: string; name: string }) {
  return run(db, ctx, 'AttachContractFile', cmd.id, (s) => attachSignedFile(s as never, cmd, ctx))
}

export function markRenewalDueCommand(db: Db, ctx: CommandContext, cmd: { id: string; deadline: string }) {
  return run(db, ctx, 'MarkContractRenewalDue', cmd.id, (s) => markRenewalDue(s as never, cmd, ctx))
}

/** Ends the term `periodIndex`: renews (tacit) or expires; a second call for the same term does nothing. */
export function closeTermCommand(db: Db, ctx: CommandContext, cmd: { id: string; periodIndex: number; renew?: boolean }) {
  return inTransaction(db, async (trx) => {
    const r = await run(trx, ctx, 'CloseContractTerm', cmd.id, (s) => closeTerm(s as never, cmd, ctx))
    if (!r.state) throw new NotFoundError('contract.not_found')
    if (r.events.length) await writeBillingItems(trx, r.state, parisDay(ctx.now), ctx.now)
    return { ...r, events: r.events as ContractEvent[] }
  })
}

/** Writes the billing items that have come due for one contract (the nightly pass). */
export async function writeDueBillingItems(db: Db, workspaceId: string, id: string, now: Date) {
  const c = await db.selectFrom('contracts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return c ? writeBillingItems(db, c, parisDay(now), now) : 0
}
