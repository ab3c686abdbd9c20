import type { Contact, Deal, Organisation } from '../../../db/schema.js'
import { parisDay } from '../../shared/paris-time.js'
import { VARIABLES } from '../workflow.definition.js'
import type { RunValues } from './conditions.js'
import { displayValue, typeOf } from './values.js'

// A run's variables by their French paths, from the records it is about. Two views:
// `values` typed for conditions (money in cents, dates YYYY-MM-DD, lists as arrays) and
// `templateValues` formatted the French way for `{{…}}` placeholders. Pure.

export type ContextInput = {
  deal?: Deal | null
  organisation?: Organisation | null
  contact?: Contact | null
  owner?: { full_name: string; email: string } | null
  trigger?: { previousStage?: string | null; inactiveDays?: number | null; webhook?: unknown }
  now: Date
  appUrl: string
}

const day = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10))

export function buildValues(i: ContextInput): RunValues {
  const v: RunValues = {}
  const today = parisDay(i.now)
  v['date.aujourdhui'] = today
  v['année'] = Number(today.slice(0, 4))
  if (i.deal) {
    const d = i.deal
    Object.assign(v, {
      'affaire.titre': d.title,
      'affaire.montant': d.amount_cents,
      'affaire.etape': d.stage,
      'affaire.date_cloture': day(d.expected_close_date),
      'affaire.categorie': d.category,
      'affaire.source': d.source,
      'affaire.region': d.region,
      'affaire.lien': `${i.appUrl}/deals/${d.id}`,
    })
  }
  if (i.organisation) {
    const o = i.organisation
    Object.assign(v, {
      'organisation.nom': o.name,
      'organisation.siren': o.siren,
      'organisation.statut': o.status,
      'organisation.secteur': o.sector,
      'organisation.taille': o.size,
      'organisation.ville': o.city,
      'organisation.tags': o.tags ?? [],
      'organisation.lien': `${i.appUrl}/organisations/${o.id}`,
    })
  }
  if (i.contact) {
    const c = i.contact
    Object.assign(v, {
      'contact.civilite': c.civility,
      'contact.prenom': c.first_name,
      'contact.nom': c.last_name,
      'contact.email': c.emails[0] ?? null,
      'contact.telephone': c.phones[0] ?? null,
    })
  }
  if (i.owner) {
    const [first, ...rest] = i.owner.full_name.trim().split(/\s+/)
    Object.assign(v, { 'proprietaire.prenom': first ?? '', 'proprietaire.nom': rest.join(' '), 'proprietaire.email': i.owner.email })
  }
  if (i.trigger?.previousStage !== undefined) v['declencheur.etape_precedente'] = i.trigger.previousStage
  if (i.trigger?.inactiveDays != null) v['declencheur.jours_inactivite'] = i.trigger.inactiveDays
  if (i.trigger?.webhook !== undefined) v.webhook = i.trigger.webhook
  return v
}

const KNOWN = new Set(VARIABLES.map((x) => x.path))

/** The same values formatted for text: "50 000" for 5 000 000 cents, "01/03/2027", "a, b". */
export function templateValues(values: RunValues): RunValues {
  const out: RunValues = {}
  for (const [k, val] of Object.entries(values)) out[k] = KNOWN.has(k) ? displayValue(typeOf(k), val) : val
  return out
}
