// The sorts the organisation and deal lists offer, with each one's natural direction.
// Shared by the list pages (sort menus, column headers) and list-query.server.ts.

export type SortDir = 'asc' | 'desc'
export type OrganisationSortKey = 'nom' | 'creation'
export type DealSortKey = 'creation' | 'montant' | 'cloture' | 'intitule'

export const ORG_SORTS: Record<OrganisationSortKey, SortDir> = { nom: 'asc', creation: 'desc' }
export const DEAL_SORTS: Record<DealSortKey, SortDir> = { creation: 'desc', montant: 'desc', cloture: 'asc', intitule: 'asc' }
export const ORGANISATION_SORT_KEYS = Object.keys(ORG_SORTS) as OrganisationSortKey[]
export const DEAL_SORT_KEYS = Object.keys(DEAL_SORTS) as DealSortKey[]
export const DEFAULT_SORT_DIR: Record<OrganisationSortKey | DealSortKey, SortDir> = { ...ORG_SORTS, ...DEAL_SORTS }
