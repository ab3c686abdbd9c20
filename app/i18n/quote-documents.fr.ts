// Company legal settings, quote PDF, sending and e-signature (issue 5): spread into the French catalogue (fr.ts).
export const quoteDocumentsFr = {
}
