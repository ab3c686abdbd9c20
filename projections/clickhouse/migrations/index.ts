import { migration as m001 } from './001-deals-current.js'
import { migration as m002 } from './002-deal-stage-history.js'
import { migration as m003 } from './003-organisations-current.js'
import { migration as m004 } from './004-activities.js'
import { migration as m005 } from './005-goals.js'
import { migration as m006 } from './006-users-teams.js'
import { migration as m007 } from './007-deal-facts.js'
import { migration as m008 } from './008-deal-rollups.js'
import { migration as m009 } from './009-deal-created.js'
import { migration as m010 } from './010-deal-open-history.js'
import { migration as m011 } from './011-finance.js'
import { migration as m012 } from './012-contract-mrr.js'
import type { ClickHouseMigration } from './types.js'

export type { ClickHouseMigration }

// Listed explicitly (not read from the folder) so they load the same way under tsx,
// Vite and vitest. Add new ones at the end; never edit one that has shipped.
export const clickHouseMigrations: ClickHouseMigration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012]
