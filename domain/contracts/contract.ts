import type { Contract, ContractPeriod, ContractStatus, ContractType, TerminationReason } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'

export type ContractState = Contract

export const CONTRACT_STREAM = 'contract'

export const CONTRACT_TYPES: ContractType[] = ['prestation', 'abonnement', 'maintenance']
export const CONTRACT_PERIODS: ContractPeriod[] = ['mensuel', 'trimestriel', 'annuel']
export const CONTRACT_STATUSES: ContractStatus[] = ['brouillon', 'actif', 'a_renouveler', 'resilie', 'expire']
export const TERMINATION_REASONS: TerminationReason[] = ['prix', 'insatisfaction', 'concurrence', 'cessation_activite', 'autre']

export const TYPE_LABELS: Record<ContractType, string> = { prestation: 'Prestation', abonnement: 'Abonnement', maintenance: 'Maintenance' }
export const PERIOD_LABELS: Record<ContractPeriod, string> = { mensuel: 'Mensuel', trimestriel: 'Trimestriel', annuel: 'Annuel' }
export const STATUS_LABELS: Record<ContractStatus, string> = {
  brouillon: 'Brouillon',
  actif: 'Actif',
  a_renouveler: 'À renouveler',
  resilie: 'Résilié',
  expire: 'Expiré',
}
export const REASON_LABELS: Record<TerminationReason, string> = {
  prix: 'Prix',
  insatisfaction: 'Insatisfaction',
  concurrence: 'Concurrence',
  cessation_activite: 'Cessation d’activité',
  autre: 'Autre',
}

/** Months in one period of each kind. */
export const PERIOD_MONTHS: Record<ContractPeriod, number> = { mensuel: 1, trimestriel: 3, annuel: 12 }

/** A contract still running (it brings revenue and gets renewal alerts). */
export const isLive = (s: { status: ContractStatus }) => s.status === 'actif' || s.status === 'a_renouveler'
export const isClosed = (s: { status: ContractStatus }) => s.status === 'resilie' || s.status === 'expire'

/** What a person sets on a contract (the form's fields). Days are 'YYYY-MM-DD'. */
export type ContractFields = {
  title: string
  organisation_id: string
  deal_id: string | null
  quote_id: string | null
  contact_id: string | null
  owner_id: string | null
  type: ContractType
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
  notes: string | null
}

/** Fields whose change alters what the client pays: on a running contract, only through an amendment. */
export const TERMS_FIELDS = ['start_date', 'end_date', 'unit_amount_cents', 'quantity', 'amount_period'] as const

export type AmendmentChanges = { unit_amount_cents?: number; quantity?: number; end_date?: string }

type Base = { id: string; at: string }
export type ContractCreated = DomainEvent<
  'ContractCreated',
  Base & { workspace_id: string; created_by: string | null; status: 'brouillon' | 'actif' } & ContractFields
>
export type ContractUpdated = DomainEvent<'ContractUpdated', Base & { changes: Partial<ContractFields> }>
export type ContractActivated = DomainEvent<'ContractActivated', Base>
/** An avenant: version `number`, in force from `effective_date`; `before` keeps what it replaced. */
export type ContractAmended = DomainEvent<
  'ContractAmended',
  Base & { number: number; effective_date: string; changes: AmendmentChanges; before: AmendmentChanges; reason: string | null }
>
export type ContractTerminated = DomainEvent<
  'ContractTerminated',
  Base & { reason: TerminationReason; effective_date: string; notice_respected: boolean; comment: string | null }
>
export type ContractRenewalDue = DomainEvent<'ContractRenewalDue', Base & { period_index: number; deadline: string }>
/** A new period: same terms, the price indexed when the contract says so. */
export type ContractRenewed = DomainEvent<
  'ContractRenewed',
  Base & { period_index: number; start_date: string; end_date: string; unit_amount_cents: number; indexation_bp: number | null; tacit: boolean }
>
export type ContractExpired = DomainEvent<'ContractExpired', Base & { end_date: string }>
export type ContractFileAttached = DomainEvent<'ContractFileAttached', Base & { sha256: string; name: string }>

export type ContractEvent =
  | ContractCreated
  | ContractUpdated
  | ContractActivated
  | ContractAmended
  | ContractTerminated
  | ContractRenewalDue
  | ContractRenewed
  | ContractExpired
  | ContractFileAttached

export function evolveContract(state: ContractState | null, event: ContractEvent): ContractState {
  const at = new Date(event.data.at)
  switch (event.type) {
    case 'ContractCreated': {
      const { at: _at, created_by, ...d } = event.data
      return {
        ...d,
        created_by,
        amendment_number: 0,
        period_index: 0,
        signed_file_sha256: null,
        signed_file_name: null,
        termination_reason: null,
        termination_effective_date: null,
        termination_notice_respected: null,
        version: 0,
        created_at: at,
        updated_at: at,
      }
    }
    case 'ContractUpdated':
      return { ...state!, ...event.data.changes, updated_at: at }
    case 'ContractActivated':
      return { ...state!, status: 'actif', updated_at: at }
    case 'ContractAmended':
      return { ...state!, ...event.data.changes, amendment_number: event.data.number, updated_at: at }
    case 'ContractTerminated':
      return {
        ...state!,
        status: 'resilie',
        termination_reason: event.data.reason,
        termination_effective_date: event.data.effective_date,
        termination_notice_respected: event.data.notice_respected,
        updated_at: at,
      }
    case 'ContractRenewalDue':
      return { ...state!, status: 'a_renouveler', updated_at: at }
    case 'ContractRenewed':
      return {
        ...state!,
        status: 'actif',
        period_index: event.data.period_index,
        end_date: event.data.end_date,
        unit_amount_cents: event.data.unit_amount_cents,
        updated_at: at,
      }
    case 'ContractExpired':
      return { ...state!, status: 'expire', updated_at: at }
    case 'ContractFileAttached':
      return { ...state!, signed_file_sha256: event.data.sha256, signed_file_name: event.data.name, updated_at: at }
  }
}
