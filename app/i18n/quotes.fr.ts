// Quotes: catalogue, editor, list and statuses (issue 5): spread into the French catalogue (fr.ts).
export const quotesFr = {
}
