import { z } from 'zod'
import type { DealFields } from '../../domain/crm/deal'
import type { TFunction } from '../i18n/i18n'
import { field } from './form-schema.server'
import { parseEurosToCents } from '../../domain/shared/money'

/** The deal form's shape (parseForm); the amount and the date are read below, the rest checked by the domain. */
export const dealFormSchema = z.object({
  title: field.text(),
  organisation_id: field.text(),
  amount: field.text(),
  expected_close_date: field.optionalText(),
  owner_id: field.optionalText(),
  category: field.optionalText(),
  source: field.optionalText(),
  region: field.optionalText(),
})

/**
 * The deal form's fields as the command takes them, plus the errors only the web form
 * can make (an amount that is not a number, a malformed date). The command validates
 * the rest; a negative amount parses and is refused there, in French.
 */
export function readDealFields(form: z.output<typeof dealFormSchema>, t: TFunction): { fields: DealFields; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const amount = parseEurosToCents(form.amount)
  if (!amount.ok) {
    errors.amount_cents = t(`amount.${amount.error}`)
  }
  const date = form.expected_close_date
  if (date && !isCalendarDate(date)) errors.expected_close_date = t('date.invalid')
  return {
    fields: {
      title: form.title,
      organisation_id: form.organisation_id,
      // 0 only as a placeholder when the amount did not parse: the errors stop the command.
      amount_cents: amount.ok ? amount.cents : 0,
      expected_close_date: date,
      owner_id: form.owner_id,
      category: form.category,
      source: form.source,
      region: form.region,
    },
    errors,
  }
}

/** YYYY-MM-DD that exists on the calendar (no 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}
