// Contracts, their renewal alerts and steps, and recurring billing items (domain/contracts).
import type { Generated, Selectable } from 'kysely'
import type { Timestamp } from './columns.js'

export type ContractType = 'prestation' | 'abonnement' | 'maintenance'
export type ContractPeriod = 'mensuel' | 'trimestriel' | 'annuel'
export type ContractStatus = 'brouillon' | 'actif' | 'a_renouveler' | 'resilie' | 'expire'
export type TerminationReason = 'prix' | 'insatisfaction' | 'concurrence' | 'cessation_activite' | 'autre'
export type ContractAlertKind = 'j90' | 'j60' | 'j30'
export type BillingItemStatus = 'a_facturer' | 'facture' | 'annule'

export interface ContractTable {
  id: string
  workspace_id: string
  title: string
  organisation_id: string
  deal_id: string | null
  quote_id: string | null
  contact_id: string | null
  owner_id: string | null
  type: ContractType
  /** 'YYYY-MM-DD' */
  start_date: string
  end_date: string
  unit_amount_cents: number
  quantity: number
  amount_period: ContractPeriod
  billing_frequency: ContractPeriod
  payment_terms_days: number
  tacit_renewal: boolean
  renewal_months: number
  notice_months: number
  indexation_bp: number | null
  status: ContractStatus
  amendment_number: number
  period_index: number
  signed_file_sha256: string | null
  signed_file_name: string | null
  notes: string | null
  termination_reason: TerminationReason | null
  termination_effective_date: string | null
  termination_notice_respected: boolean | null
  created_by: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ContractAlertSentTable {
  contract_id: string
  workspace_id: string
  period_index: number
  kind: ContractAlertKind
  sent_at: Generated<Date>
}

export interface ContractRenewalStepTable {
  id: Generated<string>
  workspace_id: string
  contract_id: string
  period_index: number
  step: string
  status: 'fait' | 'echec'
  attempts: Generated<number>
  detail: string | null
  updated_at: Timestamp
}

export interface BillingItemTable {
  id: Generated<string>
  workspace_id: string
  contract_id: string
  organisation_id: string
  period_start: string
  period_end: string
  amount_cents: number
  due_date: string
  status: BillingItemStatus
  invoice_id: string | null
  created_at: Timestamp
}

export interface ContractTables {
  contracts: ContractTable
  contract_alerts_sent: ContractAlertSentTable
  contract_renewal_steps: ContractRenewalStepTable
  billing_items: BillingItemTable
}

export type Contract = Selectable<ContractTable>
export type BillingItem = Selectable<BillingItemTable>
