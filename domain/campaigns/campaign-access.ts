import type { Actor } from '../identity/roles.js'

// Who runs campaigns: admins and managers (they speak for the whole workspace to its
// contacts). Commercials and finance see none of it.
export const canManageCampaigns = (actor: Pick<Actor, 'role'>) => actor.role === 'admin' || actor.role === 'manager'
