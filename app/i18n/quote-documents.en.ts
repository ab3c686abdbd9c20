import type { quoteDocumentsFr } from './quote-documents.fr'

// English for the same keys.
export const quoteDocumentsEn: Record<keyof typeof quoteDocumentsFr, string> = {
}
