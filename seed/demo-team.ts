import type { Role } from '../db/schema.js'
import type { TeamKey } from './french-places.js'

export const DEMO_WORKSPACE = { name: 'Alforis Démo', slug: 'demo' } as const

export const DEMO_TEAMS: readonly { key: TeamKey; name: string }[] = [
  { key: 'idf', name: 'Équipe Île-de-France' },
  { key: 'ouest', name: 'Équipe Grand Ouest' },
  { key: 'sud-est', name: 'Équipe Sud-Est' },
]

export type DemoUser = {
  key: string
  email: string
  fullName: string
  role: Role
  team: TeamKey | null
  /** Base chance of winning a deal that reaches a decision: reps differ, dashboards show it. */
  winRate: number
  /** Share of the team's accounts this person owns (managers keep a few key accounts). */
  accountWeight: number
}

// Emails of the four demo logins match demo-logins.ts; the others follow firstname.lastname.
export const DEMO_USERS: readonly DemoUser[] = [
  { key: 'admin', email: 'admin@alforis.demo', fullName: 'Claire Vasseur', role: 'admin', team: null, winRate: 0, accountWeight: 0 },
  { key: 'mgr-idf', email: 'manager@alforis.demo', fullName: 'Julien Morel', role: 'manager', team: 'idf', winRate: 0.5, accountWeight: 1 },
  { key: 'mgr-ouest', email: 'sophie.legall@alforis.demo', fullName: 'Sophie Le Gall', role: 'manager', team: 'ouest', winRate: 0.46, accountWeight: 1 },
  { key: 'mgr-sud-est', email: 'karim.benali@alforis.demo', fullName: 'Karim Benali', role: 'manager', team: 'sud-est', winRate: 0.41, accountWeight: 1 },
  { key: 'rep-1', email: 'commercial@alforis.demo', fullName: 'Camille Durand', role: 'commercial', team: 'idf', winRate: 0.54, accountWeight: 3 },
  { key: 'rep-2', email: 'antoine.lefevre@alforis.demo', fullName: 'Antoine Lefèvre', role: 'commercial', team: 'idf', winRate: 0.3, accountWeight: 3 },
  { key: 'rep-3', email: 'elodie.guerin@alforis.demo', fullName: 'Élodie Guérin', role: 'commercial', team: 'ouest', winRate: 0.45, accountWeight: 3 },
  { key: 'rep-4', email: 'maxime.rolland@alforis.demo', fullName: 'Maxime Rolland', role: 'commercial', team: 'ouest', winRate: 0.35, accountWeight: 2.5 },
  { key: 'rep-5', email: 'lea.fabre@alforis.demo', fullName: 'Léa Fabre', role: 'commercial', team: 'sud-est', winRate: 0.49, accountWeight: 3 },
  { key: 'rep-6', email: 'nicolas.giraud@alforis.demo', fullName: 'Nicolas Giraud', role: 'commercial', team: 'sud-est', winRate: 0.26, accountWeight: 3 },
  { key: 'fin-1', email: 'finance@alforis.demo', fullName: 'Isabelle Marchand', role: 'finance', team: null, winRate: 0, accountWeight: 0 },
  { key: 'fin-2', email: 'olivier.chevalier@alforis.demo', fullName: 'Olivier Chevalier', role: 'finance', team: null, winRate: 0, accountWeight: 0 },
]
