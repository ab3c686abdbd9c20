// Workflow runs: logs, failures, replay, dry run (issue 7): spread into the French catalogue (fr.ts).
export const workflowRunsFr = {
}
