import { describe, expect, it } from 'vitest'
import { parseOrganisationList } from './list-params.server'

// A list's query string takes the same plausible dates as the commands (1900–2100):
// anything else is ignored and said on the page, never sent to the database.

const parse = (q: string) => parseOrganisationList(new URL(`http://x/organisations?${q}`))

describe('the organisation list parameters', () => {
  it('take a creation date between 1900 and 2100', () => {
    expect(parse('cree_du=2026-01-01').filters.createdFrom).toBe('2026-01-01')
    expect(parse('cree_du=2100-12-31').filters.createdFrom).toBe('2100-12-31')
  })

  it('ignore, and report, a date out of range or not on the calendar', () => {
    for (const day of ['2999-12-31', '1899-12-31', '2026-02-30']) {
      const r = parse(`cree_du=${day}`)
      expect(r.filters.createdFrom, day).toBeUndefined()
      expect(r.ignored, day).toContain('list.createdFrom')
      expect(r.query, day).toBe('')
    }
  })
})
