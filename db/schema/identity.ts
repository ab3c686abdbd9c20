// Workspaces, teams, users, sessions and login attempts (domain/identity).
import type { Generated } from 'kysely'
import type { Timestamp } from './columns.js'

export type Role = 'admin' | 'manager' | 'commercial' | 'finance'

export interface WorkspaceTable {
  id: string
  name: string
  slug: string
  created_at: Generated<Date>
}

export interface TeamTable {
  id: string
  workspace_id: string
  name: string
  manager_id: string | null
  created_at: Generated<Date>
}

export interface UserTable {
  id: string
  workspace_id: string
  email: string
  full_name: string
  password_hash: string
  role: Role
  team_id: string | null
  locale: Generated<string>
  active: Generated<boolean>
  version: Generated<number>
  created_at: Generated<Date>
}

export interface SessionTable {
  id: string
  user_id: string
  workspace_id: string
  csrf_token: string
  user_agent: string | null
  ip: string | null
  expires_at: Timestamp
  created_at: Generated<Date>
}

export interface LoginAttemptTable {
  id: Generated<number>
  key: string
  success: boolean
  attempted_at: Generated<Date>
}
