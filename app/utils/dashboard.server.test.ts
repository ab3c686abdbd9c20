import { describe, expect, it } from 'vitest'
import type { Actor } from '../../domain/identity/roles'
import { makeT } from '../i18n/i18n'
import { dashboardFilter, filterQuery, type DashboardScope } from './dashboard.server'

// The dashboard filter of a URL, narrowed to what the viewer's role may see.

const T1 = '11111111-1111-4111-8111-111111111111'
const T2 = '22222222-2222-4222-8222-222222222222'
const [admin, manager, rep, rep2, south] = ['a', 'b', 'c', 'd', 'e'].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000000`)
const members = [
  { id: admin, name: 'Admin', teamId: null, active: true },
  { id: manager, name: 'Sophie Laurent', teamId: T1, active: true },
  { id: rep, name: 'Julien Moreau', teamId: T1, active: true },
  { id: rep2, name: 'Ancien Vendeur', teamId: T1, active: false },
  { id: south, name: 'Claire Petit', teamId: T2, active: true },
]
const teams = [
  { id: T1, name: 'Équipe Nord' },
  { id: T2, name: 'Équipe Sud' },
]
const t = makeT('fr')
const as = (role: Actor['role'], id: string, teamId: string | null) => ({ actor: { id, workspaceId: 'ws', role, teamId }, t })
const scopes: Record<string, DashboardScope> = {
  admin: { role: 'admin', teams, owners: members.filter((m) => m.active), visibleOwnerIds: null, members },
  manager: { role: 'manager', teams: [teams[0]], owners: members.filter((m) => m.teamId === T1 && m.active), visibleOwnerIds: [manager, rep, rep2], members },
  commercial: { role: 'commercial', teams: [], owners: [members[2]], visibleOwnerIds: [rep], members },
}
const today = '2026-11-27'
const url = (q = '') => new URL(`http://x/${q}`)

describe('the dashboard filter', () => {
  it('gives a commercial their own deals whatever the URL says', () => {
    for (const q of ['', `?responsable=${manager}`, `?equipe=${T2}`, `?equipe=${T1}&responsable=${south}`]) {
      const { filter } = dashboardFilter(url(q), as('commercial', rep, T1), scopes.commercial, today)
      expect(filter).toMatchObject({ ownerIds: [rep], teamId: null })
    }
  })

  it('gives a manager the team (departed members included), one of its reps on demand, nobody outside', () => {
    const m = as('manager', manager, T1)
    expect(dashboardFilter(url(), m, scopes.manager, today).filter).toMatchObject({ ownerIds: [manager, rep, rep2], teamId: T1 })
    expect(dashboardFilter(url(`?responsable=${rep}`), m, scopes.manager, today).filter).toMatchObject({ ownerIds: [rep], teamId: T1 })
    expect(dashboardFilter(url(`?responsable=${south}`), m, scopes.manager, today).filter).toMatchObject({ ownerIds: [manager, rep, rep2] })
    expect(dashboardFilter(url(`?equipe=${T2}`), m, scopes.manager, today).filter).toMatchObject({ ownerIds: [manager, rep, rep2], teamId: T1 })
  })

  it('gives admins everything, or a team, or a rep of that team', () => {
    const a = as('admin', admin, null)
    expect(dashboardFilter(url(), a, scopes.admin, today).filter).toMatchObject({ ownerIds: null, teamId: null })
    expect(dashboardFilter(url(`?equipe=${T2}`), a, scopes.admin, today).filter).toMatchObject({ ownerIds: [south], teamId: T2 })
    expect(dashboardFilter(url(`?equipe=${T2}&responsable=${rep}`), a, scopes.admin, today).filter).toMatchObject({ ownerIds: [south], teamId: T2 })
    expect(dashboardFilter(url('?responsable=not-a-uuid'), a, scopes.admin, today).filter).toMatchObject({ ownerIds: null })
  })

  it('reads the period presets and a custom period, and explains a wrong one', () => {
    const a = as('admin', admin, null)
    expect(dashboardFilter(url(), a, scopes.admin, today)).toMatchObject({
      filter: { from: '2026-10-01', to: today },
      view: { preset: 'trimestre', summary: { period: 'Ce trimestre (01/10/2026 – 27/11/2026)' } },
      error: null,
    })
    expect(dashboardFilter(url('?periode=mois-precedent'), a, scopes.admin, today).filter).toMatchObject({ from: '2026-10-01', to: '2026-10-31' })
    expect(dashboardFilter(url('?periode=personnalisee&du=2026-02-01&au=2026-02-28'), a, scopes.admin, today).filter).toMatchObject({
      from: '2026-02-01',
      to: '2026-02-28',
    })
    const bad = dashboardFilter(url('?periode=personnalisee&du=2026-02-30&au=2026-03-01'), a, scopes.admin, today)
    expect(bad.error).toBe('Période personnalisée : indiquez deux dates valides (du … au …).')
    expect(bad.view.preset).toBe('trimestre')
    expect(dashboardFilter(url('?periode=personnalisee&du=2015-01-01&au=2026-01-01'), a, scopes.admin, today).error).toBe(
      'Période personnalisée : cinq ans au plus.',
    )
  })

  it('writes the filter back as a query string for exports and the editor', () => {
    const a = as('admin', admin, null)
    const { view } = dashboardFilter(url(`?periode=personnalisee&du=2026-02-01&au=2026-02-28&equipe=${T2}`), a, scopes.admin, today)
    expect(filterQuery(view)).toBe(`?periode=personnalisee&du=2026-02-01&au=2026-02-28&equipe=${T2}`)
    expect(filterQuery(dashboardFilter(url(), a, scopes.admin, today).view)).toBe('')
  })
})
