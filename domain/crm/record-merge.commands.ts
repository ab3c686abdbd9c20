import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { contractRepository } from '../contracts/contract.repository.js'
import { evolveContract, type ContractEvent, type ContractState } from '../contracts/contract.js'
import { quoteRepository } from '../sales/sales.repository.js'
import { evolveQuote, type QuoteEvent, type QuoteState } from '../sales/quote.js'
import { ConcurrencyError } from '../shared/errors.js'
import type { CommandContext, DomainEvent } from '../shared/events.js'
import { runCommand, type Repository, type Versioned } from '../shared/run-command.js'
import { taskRepository } from '../tasks/task.repository.js'
import { evolveTask, type TaskEvent, type TaskState } from '../tasks/task.js'
import { evolveActivity, type ActivityEvent, type ActivityState } from './activity.js'
import { evolveContact, type ContactEvent, type ContactState } from './contact.js'
import { activityRepository, contactRepository, dealRepository, organisationRepository } from './crm.repository.js'
import { evolveDeal, type DealEvent, type DealState } from './deal.js'
import { evolveOrganisation, type MergeMoved, type OrganisationEvent } from './organisation.js'
import { mergeContacts, mergeOrganisations, type MergeSide } from './record-merge.js'

// A merge is ONE transaction: every row of the merged record moves to the kept one by
// its own aggregate's event (DealUpdated, ActivityUpdated, TaskUpdated…), so the read
// models that key on an organisation or contact follow with no special case; then the
// kept record records OrganisationsMerged/ContactsMerged and the other one
// …MergedInto. Issued invoices stay where they are: a sent invoice's buyer is fixed by
// law (the invoices table refuses the change); the merged record redirects to the kept one.

export type MergeCommand = { keptId: string; otherId: string; keptVersion: number; otherVersion: number; choices: Record<string, MergeSide | undefined> }
export type MergeResult = { duplicate: boolean; moved: MergeMoved }

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/** One more event on each row of `ids`, through its own repository (version-checked, evented). */
async function moveEach<S extends Versioned, E extends DomainEvent>(
  trx: Db,
  ctx: CommandContext,
  type: string,
  repository: Repository<S>,
  evolve: (s: S | null, e: E) => S,
  ids: string[],
  event: (s: S) => E | null,
) {
  for (const id of ids) {
    await runCommand(trx, ctx, {
      type,
      repository,
      streamId: id,
      decide: (s) => {
        const e = s ? event(s) : null
        return e ? [e] : []
      },
      evolve,
    })
  }
}

/** Claims the command id once for the whole merge (a double submit changes nothing twice). */
async function claim(trx: Db, ctx: CommandContext, type: string, streamId: string) {
  if (!ctx.commandId) return true
  const claimed = await trx
    .insertInto('processed_commands')
    .values({ workspace_id: ctx.workspaceId, command_id: ctx.commandId, command_type: type, result: { streamId } })
    .onConflict((oc) => oc.doNothing())
    .returning('command_id')
    .executeTakeFirst()
  return !!claimed
}

/** Both rows locked, in id order: two merges of the same pair wait for each other instead of deadlocking. */
async function lockPair<S extends Versioned>(trx: Db, ws: string, repository: Repository<S>, cmd: MergeCommand) {
  const [first, second] = [cmd.keptId, cmd.otherId].sort()
  const a = await repository.load(trx, ws, first)
  const b = first === second ? a : await repository.load(trx, ws, second)
  const kept = first === cmd.keptId ? a : b
  const other = first === cmd.keptId ? b : a
  if ((kept && kept.version !== cmd.keptVersion) || (other && other.version !== cmd.otherVersion)) throw new ConcurrencyError()
  return { kept, other }
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id)

export async function mergeOrganisationsCommand(db: Db, ctx: CommandContext, cmd: MergeCommand): Promise<MergeResult> {
  return inTransaction(db, async (trx) => {
    if (!(await claim(trx, ctx, 'MergeOrganisations', cmd.keptId))) return { duplicate: true, moved: {} }
    const ws = ctx.workspaceId
    const { kept, other } = await lockPair(trx, ws, organisationRepository, cmd)
    // Decide first (not found, same record, values that do not fit): nothing moves if it refuses.
    mergeOrganisations(kept, other, { choices: cmd.choices, moved: {} }, ctx)
    const inner = { ...ctx, commandId: undefined }
    const at = ctx.now.toISOString()
    const of = (table: 'deals' | 'contacts' | 'activities' | 'tasks') =>
      trx
        .selectFrom(table)
        .select('id')
        .where('workspace_id', '=', ws)
        .where('organisation_id', '=', cmd.otherId)
        .where('deleted_at', 'is', null)
        .orderBy('id')
        .execute()
    const moved: MergeMoved = {
      deals: ids(await of('deals')),
      contacts: ids(await of('contacts')),
      activities: ids(await of('activities')),
      tasks: ids(await of('tasks')),
      quotes: ids(
        await trx.selectFrom('quotes').select('id').where('workspace_id', '=', ws).where('organisation_id', '=', cmd.otherId).orderBy('id').execute(),
      ),
      contracts: ids(
        await trx.selectFrom('contracts').select('id').where('workspace_id', '=', ws).where('organisation_id', '=', cmd.otherId).orderBy('id').execute(),
      ),
    }
    const to = { organisation_id: cmd.keptId }
    await moveEach<DealState, DealEvent>(trx, inner, 'MoveDeal', dealRepository, evolveDeal, moved.deals, (s) => ({
      type: 'DealUpdated',
      data: { id: s.id, at, changes: to },
    }))
    await moveEach<ContactState, ContactEvent>(trx, inner, 'MoveContact', contactRepository, evolveContact, moved.contacts, (s) => ({
      type: 'ContactUpdated',
      data: { id: s.id, at, changes: to },
    }))
    await moveEach<ActivityState, ActivityEvent>(trx, inner, 'MoveActivity', activityRepository, evolveActivity, moved.activities, (s) => ({
      type: 'ActivityUpdated',
      data: { id: s.id, at, changes: to },
    }))
    await moveEach<TaskState, TaskEvent>(trx, inner, 'MoveTask', taskRepository, evolveTask, moved.tasks, (s) => ({
      type: 'TaskUpdated',
      data: { id: s.id, at, changes: to },
    }))
    await moveEach<QuoteState, QuoteEvent>(trx, inner, 'MoveQuote', quoteRepository, evolveQuote, moved.quotes, (s) => ({
      type: 'QuoteUpdated',
      data: { id: s.id, at, revision: s.revision, changes: to },
    }))
    await moveEach<ContractState, ContractEvent>(trx, inner, 'MoveContract', contractRepository, evolveContract, moved.contracts, (s) => ({
      type: 'ContractUpdated',
      data: { id: s.id, at, changes: to },
    }))
    // A contract's billing schedule names its organisation too (its rows are the contract's, not an aggregate).
    if (moved.contracts.length)
      await trx.updateTable('billing_items').set(to).where('workspace_id', '=', ws).where('contract_id', 'in', moved.contracts).execute()
    const events = mergeOrganisations(kept, other, { choices: cmd.choices, moved }, ctx)
    await saveBoth<OrganisationEvent>(trx, inner, 'MergeOrganisations', cmd, events, organisationRepository, evolveOrganisation)
    return { duplicate: false, moved }
  })
}

export async function mergeContactsCommand(db: Db, ctx: CommandContext, cmd: MergeCommand): Promise<MergeResult> {
  return inTransaction(db, async (trx) => {
    if (!(await claim(trx, ctx, 'MergeContacts', cmd.keptId))) return { duplicate: true, moved: {} }
    const ws = ctx.workspaceId
    const { kept, other } = await lockPair(trx, ws, contactRepository, cmd)
    mergeContacts(kept, other, { choices: cmd.choices, moved: {} }, ctx)
    const inner = { ...ctx, commandId: undefined }
    const at = ctx.now.toISOString()
    const of = (table: 'activities' | 'tasks') =>
      trx
        .selectFrom(table)
        .select('id')
        .where('workspace_id', '=', ws)
        .where('contact_id', '=', cmd.otherId)
        .where('deleted_at', 'is', null)
        .orderBy('id')
        .execute()
    const moved: MergeMoved = {
      deals: ids(
        await trx
          .selectFrom('deals')
          .select('id')
          .where('workspace_id', '=', ws)
          .where(sql<boolean>`contact_ids @> array[${cmd.otherId}]::uuid[]`)
          .where('deleted_at', 'is', null)
          .orderBy('id')
          .execute(),
      ),
      activities: ids(await of('activities')),
      tasks: ids(await of('tasks')),
      quotes: ids(await trx.selectFrom('quotes').select('id').where('workspace_id', '=', ws).where('contact_id', '=', cmd.otherId).orderBy('id').execute()),
      contracts: ids(
        await trx.selectFrom('contracts').select('id').where('workspace_id', '=', ws).where('contact_id', '=', cmd.otherId).orderBy('id').execute(),
      ),
    }
    const to = { contact_id: cmd.keptId }
    await moveEach<DealState, DealEvent>(trx, inner, 'MoveDealContact', dealRepository, evolveDeal, moved.deals, (s) => ({
      type: 'DealUpdated',
      data: { id: s.id, at, changes: { contact_ids: [...new Set(s.contact_ids.map((c) => (c === cmd.otherId ? cmd.keptId : c)))] } },
    }))
    await moveEach<ActivityState, ActivityEvent>(trx, inner, 'MoveActivity', activityRepository, evolveActivity, moved.activities, (s) => ({
      type: 'ActivityUpdated',
      data: { id: s.id, at, changes: to },
    }))
    await moveEach<TaskState, TaskEvent>(trx, inner, 'MoveTask', taskRepository, evolveTask, moved.tasks, (s) => ({
      type: 'TaskUpdated',
      data: { id: s.id, at, changes: to },
    }))
    await moveEach<QuoteState, QuoteEvent>(trx, inner, 'MoveQuote', quoteRepository, evolveQuote, moved.quotes, (s) => ({
      type: 'QuoteUpdated',
      data: { id: s.id, at, revision: s.revision, changes: to },
    }))
    await moveEach<ContractState, ContractEvent>(trx, inner, 'MoveContract', contractRepository, evolveContract, moved.contracts, (s) => ({
      type: 'ContractUpdated',
      data: { id: s.id, at, changes: to },
    }))
    const events = mergeContacts(kept, other, { choices: cmd.choices, moved }, ctx)
    await saveBoth<ContactEvent>(trx, inner, 'MergeContacts', cmd, events, contactRepository, evolveContact)
    return { duplicate: false, moved }
  })
}

async function saveBoth<E extends DomainEvent>(
  trx: Db,
  ctx: CommandContext,
  type: string,
  cmd: MergeCommand,
  events: { kept: E[]; other: E[] },
  repository: Repository<Versioned>,
  evolve: (s: never, e: E) => unknown,
) {
  const ev = evolve as unknown as (s: Versioned | null, e: E) => Versioned
  await runCommand(trx, ctx, { type, repository, streamId: cmd.keptId, expectedVersion: cmd.keptVersion, decide: () => events.kept, evolve: ev })
  await runCommand(trx, ctx, { type, repository, streamId: cmd.otherId, expectedVersion: cmd.otherVersion, decide: () => events.other, evolve: ev })
}
