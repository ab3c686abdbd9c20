import { describe, expect, it } from 'vitest'
import { StateCache } from './state-cache.js'

describe('the projector state cache', () => {
  it('keeps the most recently written rows per projection, up to its bound', () => {
    const cache = new StateCache(2)
    const deals = cache.for<number>('deals')
    deals.set('a', 1)
    deals.set('b', 2)
    deals.set('a', 3)
    deals.set('c', 4)
    expect([deals.get('a'), deals.get('b'), deals.get('c')]).toEqual([3, undefined, 4])
    expect(cache.for<number>('organisations').get('a')).toBeUndefined()
  })

  it('forgets everything when cleared', () => {
    const cache = new StateCache()
    cache.for<number>('deals').set('a', 1)
    cache.clear()
    expect(cache.for<number>('deals').get('a')).toBeUndefined()
  })
})
