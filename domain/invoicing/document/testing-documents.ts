import { computeTotals, type Discount } from '../../sales/quote-totals.js'
import type { VatRate } from '../../sales/vat.js'
import { addParisDays, parisDay } from '../../shared/paris-time.js'
import { INVOICE_DOCUMENT_FORMAT, type DeductedDeposit, type InvoiceDocument, type InvoiceDocumentLine } from '../invoice-document.js'

// Issued-invoice documents for the tests of the PDF and the Factur-X XML (never used by
// the product): a three-rate invoice with line and global discounts, a 30 % deposit
// invoice, the final invoice deducting it, a credit note, and a seller under the VAT
// franchise. Totals come from the quote totals module, as the issue command does; dates
// follow the `now` given (the tests' fixed clock), never a date written here.

type LineInput = {
  description: string
  quantity: string
  unit_price_cents: number
  vat_rate: VatRate
  unit?: string | null
  code?: string | null
  discount?: Discount | null
  vat_exemption?: string | null
}

function priced(inputs: LineInput[], globalDiscount: Discount | null) {
  const totals = computeTotals(inputs, globalDiscount)
  const lines: InvoiceDocumentLine[] = inputs.map((l, i) => ({
    position: i + 1,
    product_id: null,
    code: l.code ?? null,
    description: l.description,
    unit: l.unit ?? null,
    quantity: l.quantity,
    unit_price_cents: l.unit_price_cents,
    discount: l.discount ?? null,
    vat_rate: l.vat_rate,
    vat_exemption: l.vat_rate === 0 ? (l.vat_exemption ?? null) : null,
    category: null,
    ...totals.lines[i],
  }))
  const { lines: _lines, ...rest } = totals
  return { lines, totals: rest }
}

const ORDER_LINES: LineInput[] = [
  {
    code: 'CONS-J',
    description: 'Conseil en organisation\nAtelier de cadrage & restitution <direction>',
    unit: 'jour',
    quantity: '3',
    unit_price_cents: 85_000,
    vat_rate: 2000,
  },
  {
    description: "Licence logiciel « Alforis » — l'édition Équipe",
    unit: 'licence',
    quantity: '12',
    unit_price_cents: 4_990,
    vat_rate: 2000,
    discount: { kind: 'percent', bps: 1000 },
  },
  { description: 'Travaux de rénovation énergétique', unit: 'forfait', quantity: '1', unit_price_cents: 123_457, vat_rate: 550 },
  { description: 'Déplacement', unit: 'km', quantity: '0.333', unit_price_cents: 1_001, vat_rate: 1000 },
]

export function testSeller(overrides: Partial<InvoiceDocument['seller']> = {}): InvoiceDocument['seller'] {
  return {
    workspace_id: '00000000-0000-4000-8000-000000000001',
    name: 'Menuiseries Dupont',
    legal_form: 'SAS',
    share_capital_cents: 1_000_000,
    siren: '732829320',
    siret: '73282932000074',
    rcs_city: 'Lyon',
    vat_number: 'FR44732829320',
    address: { line1: '12 rue des Artisans', line2: 'Bâtiment B', postal_code: '69003', city: 'Lyon', country: 'FR' },
    email: 'facturation@dupont.example',
    phone: '04 78 00 00 00',
    iban: 'FR7630006000011234567890189',
    bic: 'AGRIFRPP',
    vat_franchise: false,
    logo_sha256: null,
    brand_color: '#3730a3',
    ...overrides,
  }
}

export function testBuyer(overrides: Partial<InvoiceDocument['buyer']> = {}): InvoiceDocument['buyer'] {
  return {
    organisation_id: '00000000-0000-4000-8000-000000000002',
    name: 'Boulangerie Martin & Fils',
    siren: '542065479',
    siret: '54206547900013',
    vat_number: 'FR39542065479',
    billing_address: { line1: '3 place du Marché', line2: null, postal_code: '75011', city: 'Paris', country: 'FR' },
    delivery_address: { line1: 'Entrepôt Nord, 8 allée des Fours', line2: null, postal_code: '93200', city: 'Saint-Denis', country: 'FR' },
    customer_code: 'C00042',
    contact_name: 'Claire Martin',
    email: 'compta@martin.example',
    ...overrides,
  }
}

function base(now: Date, number: string): Omit<InvoiceDocument, 'lines' | 'totals' | 'global_discount' | 'amount_due_cents'> {
  const issue = parisDay(now)
  return {
    format: INVOICE_DOCUMENT_FORMAT,
    invoice_id: `00000000-0000-4000-9000-${number.replace(/\D/g, '').padStart(12, '0').slice(-12)}`,
    type_code: '380',
    number,
    issue_date: issue,
    issued_at: now.toISOString(),
    delivery_date: parisDay(addParisDays(now, -2)),
    due_date: parisDay(addParisDays(now, 30)),
    currency: 'EUR',
    operation_category: 'mixed',
    vat_on_debits: true,
    seller: testSeller(),
    buyer: testBuyer(),
    deducted_deposits: [],
    deposit_bps: null,
    payment_terms: 'Paiement à 30 jours, par virement bancaire',
    late_penalty_rate_bps: 1215,
    recovery_indemnity_cents: 4_000,
    early_payment_discount: "Pas d'escompte pour paiement anticipé.",
    buyer_order_reference: 'BC-2211',
    contract_reference: 'CTR-17',
    quote_number: 'DEV-0042',
    preceding_invoice: null,
    notes: null,
  }
}

/** A commercial invoice (380): three VAT rates, a line discount and a 5 % global discount. */
export function testInvoice(now: Date, number = 'F-0001'): InvoiceDocument {
  const globalDiscount: Discount = { kind: 'percent', bps: 500 }
  const { lines, totals } = priced(ORDER_LINES, globalDiscount)
  return { ...base(now, number), lines, totals, global_discount: globalDiscount, amount_due_cents: totals.total_ttc_cents }
}

/** A 30 % deposit invoice (386) on the order: one line per VAT rate of the order. */
export function testDepositInvoice(now: Date, number = 'F-0002'): InvoiceDocument {
  const order = computeTotals(ORDER_LINES, null)
  const inputs: LineInput[] = order.vat.map((g) => ({
    description: `Acompte de 30 % sur la commande BC-2211 (part à ${g.rate / 100} % de TVA)`,
    quantity: '1',
    unit_price_cents: Math.round((g.base_cents * 3000) / 10_000),
    vat_rate: g.rate,
  }))
  const { lines, totals } = priced(inputs, null)
  return {
    ...base(now, number),
    type_code: '386',
    operation_category: 'services',
    delivery_date: parisDay(now),
    deposit_bps: 3000,
    lines,
    totals,
    global_discount: null,
    amount_due_cents: totals.total_ttc_cents,
  }
}

/** The final invoice (380) of the order, deducting the deposit invoice. */
export function testFinalInvoice(now: Date, deposit: InvoiceDocument, number = 'F-0003'): InvoiceDocument {
  const { lines, totals } = priced(ORDER_LINES, null)
  const deducted: DeductedDeposit = {
    invoice_id: deposit.invoice_id,
    number: deposit.number,
    issue_date: deposit.issue_date,
    total_ht_cents: deposit.totals.total_ht_cents,
    total_vat_cents: deposit.totals.total_vat_cents,
    total_ttc_cents: deposit.totals.total_ttc_cents,
    vat: deposit.totals.vat.map((g) => ({ rate: g.rate, base_cents: g.base_cents, vat_cents: g.vat_cents })),
  }
  return {
    ...base(now, number),
    operation_category: 'services',
    vat_on_debits: false,
    lines,
    totals,
    global_discount: null,
    deducted_deposits: [deducted],
    amount_due_cents: totals.total_ttc_cents - deducted.total_ttc_cents,
  }
}

/** A partial credit note (381) on `invoice`: one day of consulting refunded, and an exempt line. */
export function testCreditNote(now: Date, invoice: InvoiceDocument, number = 'A-0001'): InvoiceDocument {
  const { lines, totals } = priced(
    [
      { code: 'CONS-J', description: 'Conseil en organisation — journée non réalisée', unit: 'jour', quantity: '1', unit_price_cents: 85_000, vat_rate: 2000 },
      {
        description: 'Formation professionnelle continue',
        unit: 'heure',
        quantity: '2',
        unit_price_cents: 6_000,
        vat_rate: 0,
        vat_exemption: 'Exonération de TVA, article 261, 4, 4° du CGI',
      },
    ],
    null,
  )
  return {
    ...base(now, number),
    type_code: '381',
    operation_category: 'services',
    vat_on_debits: false,
    lines,
    totals,
    global_discount: null,
    amount_due_cents: totals.total_ttc_cents,
    preceding_invoice: { invoice_id: invoice.invoice_id, number: invoice.number, issue_date: invoice.issue_date },
    buyer_order_reference: null,
    contract_reference: null,
    quote_number: null,
  }
}

/** An invoice from a seller under the franchise (art. 293 B du CGI): no VAT, no VAT number. */
export function testFranchiseInvoice(now: Date, number = 'F-0004'): InvoiceDocument {
  const mention = 'TVA non applicable, art. 293 B du CGI'
  const { lines, totals } = priced(
    [{ description: 'Création graphique', unit: 'forfait', quantity: '1', unit_price_cents: 90_000, vat_rate: 0, vat_exemption: mention }],
    null,
  )
  return {
    ...base(now, number),
    operation_category: 'services',
    vat_on_debits: false,
    seller: testSeller({ name: 'Studio Lune', legal_form: 'EI', share_capital_cents: null, rcs_city: null, vat_number: null, vat_franchise: true }),
    buyer: testBuyer({ delivery_address: null }),
    lines,
    totals,
    global_discount: null,
    amount_due_cents: totals.total_ttc_cents,
  }
}

const EXEMPT_CASES = {
  /** Livraison intracommunautaire (category K): a German buyer with its VAT number. */
  'intra-eu': {
    mention: 'Exonération de TVA, article 262 ter, I du CGI',
    buyer: {
      siren: null,
      siret: null,
      vat_number: 'DE123456789',
      billing_address: { line1: 'Hauptstraße 1', line2: null, postal_code: '10115', city: 'Berlin', country: 'DE' },
    },
  },
  /** Autoliquidation (category AE): a French subcontracting buyer. */
  'reverse-charge': { mention: 'Autoliquidation', buyer: {} },
  /** Exportation hors UE (category G): a buyer in Switzerland without VAT number. */
  export: {
    mention: 'Exonération de TVA, article 262 I du CGI',
    buyer: {
      siren: null,
      siret: null,
      vat_number: null,
      billing_address: { line1: 'Rue du Rhône 10', line2: null, postal_code: '1204', city: 'Genève', country: 'CH' },
    },
  },
} as const

/** An invoice with a 0 % line of another VAT category than E, beside a 20 % line. */
export function testExemptInvoice(now: Date, kind: keyof typeof EXEMPT_CASES, number = 'F-0005'): InvoiceDocument {
  const c = EXEMPT_CASES[kind]
  const { lines, totals } = priced(
    [
      { description: 'Machine à pétrir', unit: null, quantity: '1', unit_price_cents: 450_000, vat_rate: 0, vat_exemption: c.mention },
      {
        description: 'Mise en service',
        unit: 'heure',
        quantity: '2',
        unit_price_cents: 7_500,
        vat_rate: kind === 'reverse-charge' ? 0 : 2000,
        vat_exemption: c.mention,
      },
    ],
    null,
  )
  return {
    ...base(now, number),
    operation_category: 'mixed',
    vat_on_debits: false,
    buyer: testBuyer({ ...c.buyer, organisation_id: kind === 'reverse-charge' ? testBuyer().organisation_id : null, delivery_address: null }),
    lines,
    totals,
    global_discount: null,
    amount_due_cents: totals.total_ttc_cents,
  }
}
