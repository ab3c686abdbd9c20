import { parseEuros } from '../../domain/sales/money'
import type { ProductFields } from '../../domain/sales/product'
import { isVatRate, type VatRate } from '../../domain/sales/vat'
import type { Product } from '../../db/schema'
import { centsToInput } from './format'
import type { Auth } from './auth.server'
import { isUuid } from './forms.server'

// The catalogue screens' glue: who manages it, reading the product form.

/** Admins manage the catalogue (prices and VAT are a company decision); everyone reads it. */
export { canManageProducts } from '../../domain/identity/roles'

/** The posted product form as the domain's fields, plus what could not be read (a price, a rate). */
export function readProductFields(form: FormData, t: Auth['t']): { fields: ProductFields; errors: Record<string, string> } {
  const s = (n: string) => (typeof form.get(n) === 'string' ? String(form.get(n)).trim() : '')
  const errors: Record<string, string> = {}
  const priceText = s('unit_price')
  const price = priceText ? parseEuros(priceText) : null
  if (!priceText) errors.unit_price_cents = t('amount.required')
  else if (price === null) errors.unit_price_cents = t('quote.error.price')
  const rate = Number(s('vat_rate') || 'NaN')
  if (!isVatRate(rate)) errors.vat_rate = t('quote.error.vatRate')
  return {
    fields: {
      code: s('code') || null, name: s('name'), description: s('description') || null, unit: s('unit'), unit_price_cents: price ?? 0,
      vat_rate: (isVatRate(rate) ? rate : 2000) as VatRate, vat_exemption: s('vat_exemption') || null, category: s('category') || null,
    },
    errors,
  }
}

export const productToValues = (p: Product): Record<string, string> => ({
  code: p.code ?? '', name: p.name, description: p.description ?? '', unit: p.unit, unit_price: centsToInput(Number(p.unit_price_cents)),
  vat_rate: String(p.vat_rate), vat_exemption: p.vat_exemption ?? '', category: p.category ?? '',
})

export async function findProduct(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  return (await auth.tenant.selectFrom('products').selectAll().where('products.id', '=', id).executeTakeFirst()) ?? null
}

/** The categories in use, for the filter and the form's suggestions. */
export async function productCategories(auth: Auth): Promise<string[]> {
  const rows = await auth.tenant.selectFrom('products').select('products.category').distinct().where('products.category', 'is not', null).orderBy('products.category').execute()
  return rows.map((r) => r.category!)
}
