import type { workflowsFr } from './workflows.fr'

// English for the same keys.
export const workflowsEn: Record<keyof typeof workflowsFr, string> = {
}
