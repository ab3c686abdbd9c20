import type { workflowRunsFr } from './workflow-runs.fr'

// English for the same keys.
export const workflowRunsEn: Record<keyof typeof workflowRunsFr, string> = {
}
