import type { JobDefinition } from './job.js'
import { projectionConsistencyCheckJob } from './projection-consistency-check.job.js'
import { taskRemindersJob } from './task-reminders.job.js'
import { contractRenewalsJob } from './contract-renewals.job.js'
import { sendEmailJob } from './send-email.job.js'
import { sendPushJob } from './send-push.job.js'
import { SALES_WORKERS } from './sales.workers.js'
import { WORKFLOW_WORKERS } from './workflows.workers.js'
import { INVOICING_WORKERS } from './invoicing.workers.js'
import { SCORING_WORKERS } from './scoring.workers.js'
import { campaignSendJob } from './campaign-send.job.js'

/** The handler of each queue that has one; a queue without a handler only collects jobs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of handlers with different payload types; each handler is typed where it is defined
export const WORKERS: readonly JobDefinition<any>[] = [
  projectionConsistencyCheckJob,
  taskRemindersJob,
  contractRenewalsJob,
  sendEmailJob,
  sendPushJob,
  ...SALES_WORKERS,
  ...WORKFLOW_WORKERS,
  ...INVOICING_WORKERS,
  ...SCORING_WORKERS,
  campaignSendJob,
]
