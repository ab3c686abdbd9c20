// Workflows: list, editor, templates (issue 7): spread into the French catalogue (fr.ts).
export const workflowsFr = {
}
