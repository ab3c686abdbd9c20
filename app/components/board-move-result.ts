import { useEffect } from 'react'

// Answers already handed to a board (shared by the column boards: pipeline, tasks).
const reported = new WeakSet<object>()

/**
 * Hands a card's move answer to its board once it arrives: once only, although the card
 * remounts in its new column (its fetcher is keyed by card, so the answer comes back with it).
 */
export function useMoveResult<C, R extends object>(fetcher: { state: string; data: R | undefined }, card: C, onResult: (card: C, result: R) => void) {
  const { state, data } = fetcher
  useEffect(() => {
    if (state !== 'idle' || !data || reported.has(data)) return
    reported.add(data)
    onResult(card, data)
  }, [state, data, card, onResult])
}
