import type { Db } from '../db/kysely.js'
import { frenchVatNumber, withLuhnDigit } from '../domain/crm/french-ids.js'
import { loadCompanySettings, saveCompanySettingsCommand } from '../domain/sales/company-settings.js'

// The demo workspace's legal identity (/settings/company), so its quotes print a full
// set of French mentions. Made-up but valid numbers: SIREN/SIRET pass Luhn, the VAT
// key is computed, the IBAN is the French banks' published test number.

const SIREN = withLuhnDigit('84291735')
export const DEMO_COMPANY = {
  company_name: 'Alforis Démo',
  legal_form: 'SAS',
  share_capital_cents: 5_000_000,
  siren: SIREN,
  siret: withLuhnDigit(`${SIREN}0001`),
  rcs_city: 'Lyon',
  vat_number: frenchVatNumber(SIREN),
  address: '12 quai Saint-Antoine',
  postal_code: '69002',
  city: 'Lyon',
  email: 'contact@alforis-demo.fr',
  phone: '04 78 00 12 34',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPP',
  brand_color: '#3730a3',
  default_payment_terms: 'Acompte de 30 % à la commande, solde à 30 jours à réception de facture, par virement.',
  default_validity_days: 30,
  vat_franchise: false,
}

/** Saves the demo's legal identity once: a start that resumes an interrupted seed finds it saved and leaves it. */
export async function seedDemoCompany(db: Db, workspaceId: string, adminId: string, now: Date) {
  if ((await loadCompanySettings(db, workspaceId)).version > 0) return
  await saveCompanySettingsCommand(db, { workspaceId, actorId: adminId, now, source: 'seed' }, { expectedVersion: 0, fields: DEMO_COMPANY })
}
