import type { Role } from '../../db/schema.js'

export const ROLES: Role[] = ['admin', 'manager', 'commercial', 'finance']

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrateur',
  manager: 'Manager',
  commercial: 'Commercial',
  finance: 'Finance',
}

/** The signed-in user as every loader and action sees it. */
export type Actor = { id: string; workspaceId: string; role: Role; teamId: string | null }

export type CrmRecord = { owner_id: string | null; ownerTeamId?: string | null; shared?: boolean }

/**
 * Who may see a CRM record: admins and finance everything; managers their team's
 * records; commercials their own, unassigned and shared ones.
 */
export function canReadRecord(actor: Actor, record: CrmRecord): boolean {
  switch (actor.role) {
    case 'admin':
    case 'finance':
      return true
    case 'manager':
      return record.owner_id === null || !!record.shared || record.owner_id === actor.id || (!!actor.teamId && record.ownerTeamId === actor.teamId)
    case 'commercial':
      return record.owner_id === null || !!record.shared || record.owner_id === actor.id
  }
}

/** Who may change a CRM record: like reading, except finance (billing data only). */
export function canWriteRecord(actor: Actor, record: CrmRecord): boolean {
  return actor.role !== 'finance' && canReadRecord(actor, record)
}

/** Creating sales records: everyone but finance. */
export const canCreateCrmRecords = (actor: Actor) => actor.role !== 'finance'

// Who may open which screen, asked both by the route (else a 403) and by the navigation
// (a link is shown only when its page opens). They read the role and the team only.
type Permitted = Pick<Actor, 'role' | 'teamId'>

/** Company settings, products, the outgoing mailbox: admins only. */
export const canAdminister = (actor: Pick<Actor, 'role'>) => actor.role === 'admin'
/** Admins and managers build workflows for their workspace; sales and finance do not see them. */
export const canManageWorkflows = (actor: Pick<Actor, 'role'>) => actor.role === 'admin' || actor.role === 'manager'
/** Revenue goals: admins for anyone; managers for their team, so a manager without a team sets none. */
export const canSetGoals = (actor: Permitted) => actor.role === 'admin' || (actor.role === 'manager' && !!actor.teamId)
/** Importing organisations, contacts and deals from a file: admins and managers. */
export const canImport = (actor: Pick<Actor, 'role'>) => actor.role === 'admin' || actor.role === 'manager'
/** The product catalogue: admins only. */
export const canManageProducts = canAdminister
