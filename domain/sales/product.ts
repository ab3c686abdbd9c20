import type { Product } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'
import type { VatRate } from './vat.js'

export type ProductState = Product

export const PRODUCT_STREAM = 'product'

/** The units the form offers; any short text is accepted. */
export const PRODUCT_UNITS = ['unité', 'heure', 'jour', 'forfait', 'mois', 'licence/mois', 'an', 'kg', 'm²'] as const

/** The editable fields of a product or service (what forms and imports send). */
export type ProductFields = {
  /** Optional reference ("FORM-01"), unique among active products. */
  code: string | null
  name: string
  description: string | null
  unit: string
  /** Unit price HT, in cents. */
  unit_price_cents: number
  vat_rate: VatRate
  /** Required at 0 % ("TVA non applicable, art. 293 B du CGI", "Autoliquidation"…), null otherwise. */
  vat_exemption: string | null
  category: string | null
}

export type ProductCreated = DomainEvent<'ProductCreated', { id: string; workspace_id: string; at: string } & ProductFields>
export type ProductUpdated = DomainEvent<'ProductUpdated', { id: string; at: string; changes: Partial<ProductFields> }>
/** No longer offered for new quote lines; quotes that have it keep their copy of its line. */
export type ProductArchived = DomainEvent<'ProductArchived', { id: string; at: string }>
export type ProductRestored = DomainEvent<'ProductRestored', { id: string; at: string }>
export type ProductEvent = ProductCreated | ProductUpdated | ProductArchived | ProductRestored

export function evolveProduct(state: ProductState | null, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductCreated': {
      const { at, ...d } = event.data
      const when = new Date(at)
      return { ...d, active: true, version: 0, created_at: when, updated_at: when, archived_at: null }
    }
    case 'ProductUpdated':
      return { ...state!, ...event.data.changes, updated_at: new Date(event.data.at) }
    case 'ProductArchived':
      return { ...state!, active: false, archived_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
    case 'ProductRestored':
      return { ...state!, active: true, archived_at: null, updated_at: new Date(event.data.at) }
  }
}
