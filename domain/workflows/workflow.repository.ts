import { tableRepository } from '../shared/run-command.js'
import type { Workflow } from '../../db/schema/workflows.js'
import { WORKFLOW_STREAM } from './workflow.js'

export const workflowRepository = tableRepository<Workflow>('workflows', WORKFLOW_STREAM)
