import type { Actor } from '../identity/roles.js'

/** The chart of accounts and the FEC: administrators and finance; managers and sales never see the books. */
export const canKeepAccounts = (actor: Pick<Actor, 'role'>) => actor.role === 'admin' || actor.role === 'finance'

/** The finance page (cash, receivables, forecast): finance, administrators and managers; reps never. */
export const canSeeFinance = (actor: Pick<Actor, 'role'>) => actor.role === 'admin' || actor.role === 'finance' || actor.role === 'manager'
