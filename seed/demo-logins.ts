import type { Role } from '../db/schema.js'

// The accounts the README lists for trying the demo. Everyone in the demo workspace
// shares this password; it exists only in seeded demo data.
export const DEMO_PASSWORD = 'alforis-demo'

export const DEMO_LOGINS: readonly { role: Role; email: string; password: string; fullName: string }[] = [
  { role: 'admin', email: 'admin@alforis.demo', password: DEMO_PASSWORD, fullName: 'Claire Vasseur' },
  { role: 'manager', email: 'manager@alforis.demo', password: DEMO_PASSWORD, fullName: 'Julien Morel' },
  { role: 'commercial', email: 'commercial@alforis.demo', password: DEMO_PASSWORD, fullName: 'Camille Durand' },
  { role: 'finance', email: 'finance@alforis.demo', password: DEMO_PASSWORD, fullName: 'Isabelle Marchand' },
]
