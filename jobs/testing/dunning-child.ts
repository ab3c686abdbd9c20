import { createDb } from '../../db/kysely.js'
import { invoiceDunningJob } from '../invoice-dunning.job.js'
import type { JobDeps } from '../job.js'

// A dunning worker in its own process, for runtime/invoice-dunning-crash.test.ts: runs the
// real job handler once against DUNNING_DATABASE_URL at DUNNING_NOW, and is killed
// (SIGKILL) by the test while one of its transactions is open. Mail jobs are not sent
// (the outbound_emails row written with the claim is what the test counts).

const { db } = createDb(process.env.DUNNING_DATABASE_URL!, { max: 2 })
const deps = { db, ch: null as never, log: (m: string) => console.log(m), send: async () => 'queued' } as unknown as JobDeps
console.log('started')
const r = await invoiceDunningJob.handle({ workspaceId: process.env.DUNNING_WORKSPACE_ID, now: process.env.DUNNING_NOW }, deps, null as never)
console.log(`result ${JSON.stringify(r)}`)
await db.destroy()
