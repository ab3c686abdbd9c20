import type { quotesFr } from './quotes.fr'

// English for the same keys.
export const quotesEn: Record<keyof typeof quotesFr, string> = {
}
