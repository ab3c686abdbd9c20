import { z } from 'zod'
import { parseEuros } from '../../domain/shared/money'
import type { ProductFields } from '../../domain/sales/product'
import { isVatRate } from '../../domain/sales/vat'
import type { Product } from '../../db/schema'
import { centsToInput } from './format'
import type { Auth } from './auth.server'
import { field } from './form-schema.server'
import { isUuid } from './forms.server'

// The catalogue screens' glue: who manages it, reading the product form.

/** Admins manage the catalogue (prices and VAT are a company decision); everyone reads it. */
export { canManageProducts } from '../../domain/identity/roles'

/** The product form's shape (parseForm); price and rate are read below, beside the domain's other errors. */
export const productFormSchema = z.object({
  code: field.optionalText(),
  name: field.text(),
  description: field.optionalText(),
  unit: field.text(),
  unit_price: field.text(),
  vat_rate: field.text(),
  vat_exemption: field.optionalText(),
  category: field.optionalText(),
})

/** The posted product form as the domain's fields, plus what could not be read (a price, a rate). */
export function readProductFields(form: z.output<typeof productFormSchema>, t: Auth['t']): { fields: ProductFields; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const priceText = form.unit_price
  const price = priceText ? parseEuros(priceText) : null
  if (!priceText) errors.unit_price_cents = t('amount.required')
  else if (price === null) errors.unit_price_cents = t('quote.error.price')
  const rate = Number(form.vat_rate || 'NaN')
  if (!isVatRate(rate)) errors.vat_rate = t('quote.error.vatRate')
  return {
    fields: {
      code: form.code,
      name: form.name,
      description: form.description,
      unit: form.unit,
      unit_price_cents: price ?? 0,
      vat_rate: isVatRate(rate) ? rate : 2000,
      vat_exemption: form.vat_exemption,
      category: form.category,
    },
    errors,
  }
}

export const productToValues = (p: Product): Record<string, string> => ({
  code: p.code ?? '',
  name: p.name,
  description: p.description ?? '',
  unit: p.unit,
  unit_price: centsToInput(Number(p.unit_price_cents)),
  vat_rate: String(p.vat_rate),
  vat_exemption: p.vat_exemption ?? '',
  category: p.category ?? '',
})

export async function findProduct(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  return (await auth.tenant.selectFrom('products').selectAll().where('products.id', '=', id).executeTakeFirst()) ?? null
}

/** The categories in use, for the filter and the form's suggestions. */
export async function productCategories(auth: Auth): Promise<string[]> {
  const rows = await auth.tenant
    .selectFrom('products')
    .select('products.category')
    .distinct()
    .where('products.category', 'is not', null)
    .orderBy('products.category')
    .execute()
  return rows.map((r) => r.category!)
}
