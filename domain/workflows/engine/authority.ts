import type { Db } from '../../../db/kysely.js'
import { type Actor, canReadRecord, canWriteRecord } from '../../identity/roles.js'
import type { Step } from '../workflow.definition.js'
import type { Plan } from './actions.js'
import type { SubjectRecords } from './load-context.js'
import { PermanentStepError } from './step-errors.js'

// A workflow acts with the rights of whoever published its version (ADR 0023): it starts
// only on records its publisher may read, and each step is checked with the publisher's
// rights as they are when it runs (a publisher moved to another team, demoted or
// deactivated takes the workflow's reach along). A version published by no one (the
// seed, the system) acts on the whole workspace.

export type Authority = { kind: 'system' } | { kind: 'user'; actor: Actor; active: boolean }

const SYSTEM: Authority = { kind: 'system' }
// Rights change rarely and runs are many: a publisher's rights are read again after this.
const TTL_MS = 10_000
const cache = new Map<string, { at: number; authority: Authority }>()

/** The authorities of workflow versions (`<workflow id>:<version>` → authority), in one query. */
export async function loadAuthorities(db: Db, versions: Array<{ workflowId: string; version: number }>): Promise<Map<string, Authority>> {
  const out = new Map<string, Authority>()
  const missing: Array<{ workflowId: string; version: number }> = []
  const now = Date.now()
  for (const v of versions) {
    const key = `${v.workflowId}:${v.version}`
    const hit = cache.get(key)
    if (hit && now - hit.at < TTL_MS) out.set(key, hit.authority)
    else if (!out.has(key)) missing.push(v)
  }
  if (missing.length) {
    const rows = await db
      .selectFrom('workflow_versions as v')
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'v.published_by').onRef('u.workspace_id', '=', 'v.workspace_id'))
      .select(['v.workflow_id', 'v.version', 'v.workspace_id', 'v.published_by', 'u.role', 'u.team_id', 'u.active'])
      .where((eb) => eb.or(missing.map((m) => eb.and([eb('v.workflow_id', '=', m.workflowId), eb('v.version', '=', m.version)]))))
      .execute()
    for (const r of rows) {
      const authority: Authority = !r.published_by
        ? SYSTEM
        : {
            kind: 'user',
            // A publisher no longer in the workspace reads nothing: the commercial role with `active: false`.
            actor: { id: r.published_by, workspaceId: r.workspace_id, role: r.role ?? 'commercial', teamId: r.team_id ?? null },
            active: r.active ?? false,
          }
      const key = `${r.workflow_id}:${r.version}`
      cache.set(key, { at: now, authority })
      out.set(key, authority)
    }
  }
  return out
}

export async function loadAuthority(db: Db, workflowId: string, version: number): Promise<Authority> {
  return (await loadAuthorities(db, [{ workflowId, version }])).get(`${workflowId}:${version}`) ?? SYSTEM
}

const ownedBy = (r: { owner_id: string | null; shared: boolean }, ownerTeamId: string | null | undefined) => ({
  owner_id: r.owner_id,
  shared: r.shared,
  ownerTeamId: ownerTeamId ?? null,
})

/** Whether the run's subject is within the publisher's reach (read). No subject: nothing to read. */
export function mayRead(a: Authority, rec: SubjectRecords): boolean {
  if (a.kind === 'system') return true
  if (!a.active) return false
  const record = rec.deal ?? rec.organisation
  return !record || canReadRecord(a.actor, ownedBy(record, rec.owner?.team_id))
}

/** The team of a user (the owner of a deal's organisation is not loaded with the deal). */
const teamOf = async (db: Db, workspaceId: string, userId: string | null) =>
  userId
    ? ((await db.selectFrom('users').select('team_id').where('workspace_id', '=', workspaceId).where('id', '=', userId).executeTakeFirst())?.team_id ?? null)
    : null

/**
 * Checks a planned action step against the publisher's rights; throws a permanent step
 * error (the run fails, its owner is told) when the publisher could not do it by hand.
 */
export async function checkAuthority(
  db: Db,
  a: Authority,
  step: Exclude<Step, { type: 'branch' } | { type: 'delay' }>,
  plan: Plan,
  rec: SubjectRecords,
): Promise<void> {
  if (a.kind === 'system') return
  if (!a.active) throw new PermanentStepError('workflow.run.publisher.inactive')
  const actor = a.actor
  const record = rec.deal ?? rec.organisation
  if (record && !canReadRecord(actor, ownedBy(record, rec.owner?.team_id))) throw new PermanentStepError('workflow.run.out_of_scope')
  switch (step.type) {
    case 'webhook':
      // Data leaves the CRM: administrators only (also refused at publish).
      if (actor.role !== 'admin') throw new PermanentStepError('workflow.webhook.admin_only')
      return
    case 'update_field':
    case 'add_tag':
    case 'assign': {
      const orgField = step.type === 'add_tag' || (step.type === 'update_field' && step.field.startsWith('organisation.'))
      const target = orgField ? rec.organisation : record
      if (target) {
        const team = target === record ? rec.owner?.team_id : await teamOf(db, actor.workspaceId, target.owner_id)
        if (!canWriteRecord(actor, ownedBy(target, team))) throw new PermanentStepError('workflow.run.out_of_scope')
      }
      if (step.type === 'assign') {
        if (actor.role === 'admin') return
        if (step.mode === 'round_robin') {
          if (step.teamId !== actor.teamId) throw new PermanentStepError('workflow.assign.other_team')
          return
        }
        const userId = (plan.user as { id: string } | null)?.id ?? null
        if (userId && userId !== actor.id && (actor.role !== 'manager' || !actor.teamId || (await teamOf(db, actor.workspaceId, userId)) !== actor.teamId))
          throw new PermanentStepError('workflow.assign.not_allowed')
      }
      return
    }
    default:
      return
  }
}
