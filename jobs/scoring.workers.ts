import type { JobDefinition } from './job.js'
import { trainWinModelJob } from './train-win-model.job.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers with different payload types
export const SCORING_WORKERS: readonly JobDefinition<any>[] = [trainWinModelJob]
