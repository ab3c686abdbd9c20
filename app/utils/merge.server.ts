import type { Actor } from '../../domain/identity/roles'

/** Who may open a merge screen at all: managers and admins, or a commercial (then only owner of both records). */
export const mergeAllowedFor = (actor: Actor) => actor.role !== 'finance'
