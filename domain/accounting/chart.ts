import type { VatRate } from '../sales/vat.js'
import { ValidationError, type FieldProblems } from '../shared/errors.js'

// The workspace's chart of accounts as the journal builders read it (plan comptable
// général): customers 411 with one auxiliary account per client, revenue 706 (services)
// / 707 (goods) chosen per product category, deposits received 4191, collected VAT 44571
// with one sub-account per rate, bank 512; journals VT « Ventes » and BQ « Banque ».

export type Journal = { code: string; label: string }

export type ChartOfAccounts = {
  customers: string
  /** Prefix of the auxiliary account when a client has no accounting code: "C" + a short id. */
  aux_prefix: string
  /** Revenue account when a line has no category, or its category is not mapped. */
  revenue_default: string
  /** Product category (as typed on the product) → revenue account. */
  revenue_by_category: Record<string, string>
  deposits: string
  vat_collected: Record<`${VatRate}`, string>
  bank: string
  sales_journal: Journal
  bank_journal: Journal
}

export const DEFAULT_CHART: ChartOfAccounts = {
  customers: '411',
  aux_prefix: 'C',
  revenue_default: '706',
  revenue_by_category: { marchandises: '707', biens: '707', produits: '707', services: '706', prestations: '706' },
  deposits: '4191',
  vat_collected: { '2000': '445712', '1000': '445711', '550': '445715', '210': '445713', '0': '44571' },
  bank: '512',
  sales_journal: { code: 'VT', label: 'Ventes' },
  bank_journal: { code: 'BQ', label: 'Banque' },
}

/** The account labels printed in the FEC (CompteLib), by number prefix, longest first. */
const ACCOUNT_LABELS: [string, string][] = [
  ['4191', 'Clients - avances et acomptes reçus sur commandes'],
  ['44571', 'TVA collectée'],
  ['411', 'Clients'],
  ['706', 'Prestations de services'],
  ['707', 'Ventes de marchandises'],
  ['701', 'Ventes de produits finis'],
  ['708', 'Produits des activités annexes'],
  ['512', 'Banque'],
]

const RATE_WORDS: Record<string, string> = { '2000': '20 %', '1000': '10 %', '550': '5,5 %', '210': '2,1 %', '0': '0 %' }

export function accountLabel(chart: ChartOfAccounts, account: string): string {
  for (const [rate, acc] of Object.entries(chart.vat_collected)) {
    if (acc === account && account !== '44571') return `TVA collectée ${RATE_WORDS[rate]}`
  }
  const hit = ACCOUNT_LABELS.find(([p]) => account.startsWith(p))
  return hit ? hit[1] : `Compte ${account}`
}

/** The revenue account of a line's category (case and accents of the category ignored). */
export function revenueAccountFor(chart: ChartOfAccounts, category: string | null): string {
  if (!category) return chart.revenue_default
  const key = normaliseCategory(category)
  for (const [k, v] of Object.entries(chart.revenue_by_category)) if (normaliseCategory(k) === key) return v
  return chart.revenue_default
}

export const normaliseCategory = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()

const ACCOUNT = /^\d{3,12}$/
const CODE = /^[A-Z0-9]{1,4}$/

/** Checks a chart typed on the settings page; every problem by field, in one go. */
export function validateChart(input: ChartOfAccounts): ChartOfAccounts {
  const errors: FieldProblems = {}
  const account = (field: string, value: string, prefix: string) => {
    if (!ACCOUNT.test(value) || !value.startsWith(prefix)) errors[field] = { code: 'accounting.account.invalid', params: { prefix } }
  }
  account('customers', input.customers, '411')
  account('revenue_default', input.revenue_default, '70')
  account('deposits', input.deposits, '419')
  account('bank', input.bank, '51')
  for (const [rate, acc] of Object.entries(input.vat_collected)) account(`vat_${rate}`, acc, '4457')
  for (const [cat, acc] of Object.entries(input.revenue_by_category)) {
    if (!cat.trim() || cat.length > 60) errors.revenue_by_category = 'accounting.label.required'
    else if (!ACCOUNT.test(acc) || !acc.startsWith('70')) errors.revenue_by_category = { code: 'accounting.account.invalid', params: { prefix: '70' } }
  }
  if (!/^[A-Z0-9]{1,6}$/.test(input.aux_prefix)) errors.aux_prefix = 'accounting.aux_prefix.invalid'
  for (const [key, j] of [
    ['sales_journal', input.sales_journal],
    ['bank_journal', input.bank_journal],
  ] as const) {
    if (!CODE.test(j.code)) errors[`${key}_code`] = 'accounting.journal.code.invalid'
    if (!j.label.trim() || j.label.length > 80) errors[`${key}_label`] = 'accounting.label.required'
  }
  if (!errors.bank_journal_code && input.sales_journal.code === input.bank_journal.code) errors.bank_journal_code = 'accounting.journal.code.duplicate'
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return {
    ...input,
    sales_journal: { code: input.sales_journal.code, label: input.sales_journal.label.trim() },
    bank_journal: { code: input.bank_journal.code, label: input.bank_journal.label.trim() },
  }
}

/** "Marchandises = 707" lines (the settings page's text area) → the category mapping. */
export function parseCategoryLines(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line) continue
    const m = /^(.+?)\s*[=;:]\s*(\d{3,12})$/.exec(line)
    if (!m || !m[2].startsWith('70'))
      throw new ValidationError({ revenue_by_category: { code: 'accounting.category_line.invalid', params: { line: line.slice(0, 60) } } })
    out[m[1].trim()] = m[2]
  }
  return out
}

export const categoryLines = (map: Record<string, string>) =>
  Object.entries(map)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')
