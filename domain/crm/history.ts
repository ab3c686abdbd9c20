// A record's history, told from its events: who changed what, when, from what to what.
// Pure: the caller passes the stream's events (oldest first) and the users' names.

export type HistoryEvent = { type: string; data: Record<string, unknown>; meta: Record<string, unknown>; occurred_at: Date; stream_version: number }
export type HistoryChange = { field: string; label: string; from: unknown; to: unknown }
export type HistoryEntry = { version: number; at: Date; actorId: string | null; source: string | null; title: string; changes: HistoryChange[] }

const LABELS: Record<string, string> = {
  name: 'Nom',
  siren: 'SIREN',
  siret: 'SIRET',
  vat_number: 'N° TVA',
  address: 'Adresse',
  postal_code: 'Code postal',
  city: 'Ville',
  sector: 'Secteur',
  size: 'Taille',
  status: 'Statut',
  owner_id: 'Responsable',
  shared: 'Partagé',
  tags: 'Étiquettes',
  notes: 'Notes',
  phone: 'Standard',
  website: 'Site web',
  email: 'E-mail générique',
  title: 'Intitulé',
  organisation_id: 'Organisation',
  amount_cents: 'Montant',
  expected_close_date: 'Clôture prévue',
  category: 'Catégorie',
  source: 'Source',
  region: 'Région',
  contact_ids: 'Contacts',
  stage: 'Étape',
  lost_reason: 'Raison de la perte',
  reopen_reason: 'Raison de la réouverture',
  civility: 'Civilité',
  first_name: 'Prénom',
  last_name: 'Nom',
  job_title: 'Fonction',
  emails: 'E-mails',
  phones: 'Téléphones',
  gdpr_consent: 'Consentement RGPD',
  consent_source: 'Source du consentement',
  consent_date: 'Date du consentement',
  marketing_opt_out: 'Refus marketing',
  kind: 'Type',
  subject: 'Objet',
  body: 'Contenu',
  occurred_at: 'Date',
  duration_minutes: 'Durée (min)',
}

const TITLES: Record<string, string> = {
  OrganisationCreated: 'Organisation créée',
  OrganisationUpdated: 'Organisation modifiée',
  OrganisationDeleted: 'Organisation supprimée',
  DealCreated: 'Affaire créée',
  DealUpdated: 'Affaire modifiée',
  DealStageChanged: 'Changement d’étape',
  DealDeleted: 'Affaire supprimée',
  ContactCreated: 'Contact créé',
  ContactUpdated: 'Contact modifié',
  ContactDeleted: 'Contact supprimé',
  ActivityLogged: 'Activité enregistrée',
  ActivityUpdated: 'Activité modifiée',
  ActivityDeleted: 'Activité supprimée',
  OrganisationsMerged: 'Fiche en double fusionnée dans celle-ci',
  OrganisationMergedInto: 'Fusionnée dans une autre fiche',
  ContactsMerged: 'Fiche en double fusionnée dans celle-ci',
  ContactMergedInto: 'Fusionné dans une autre fiche',
}

const IGNORED = new Set(['id', 'workspace_id', 'at', 'probability', 'closed', 'from', 'to', 'author_id'])

/** Newest first, the way record pages show it. */
export function describeHistory(events: HistoryEvent[]): HistoryEntry[] {
  let state: Record<string, unknown> = {}
  const entries: HistoryEntry[] = []
  for (const e of events) {
    const changes: HistoryChange[] = []
    const record = (field: string, to: unknown) => {
      if (IGNORED.has(field)) return
      const from = state[field]
      if (JSON.stringify(from ?? null) === JSON.stringify(to ?? null)) return
      changes.push({ field, label: LABELS[field] ?? field, from: from ?? null, to: to ?? null })
    }
    if (e.type.endsWith('Created') || e.type === 'ActivityLogged') {
      for (const [k, v] of Object.entries(e.data)) if (v !== null && v !== '' && !(Array.isArray(v) && !v.length) && v !== false) record(k, v)
      state = { ...e.data }
    } else if (e.type === 'DealStageChanged') {
      record('stage', e.data.to)
      if (e.data.lost_reason) record('lost_reason', e.data.lost_reason)
      if (e.data.reopen_reason) record('reopen_reason', e.data.reopen_reason)
      state = { ...state, stage: e.data.to, lost_reason: e.data.lost_reason, reopen_reason: e.data.reopen_reason ?? null }
    } else if (e.data.changes && typeof e.data.changes === 'object') {
      for (const [k, v] of Object.entries(e.data.changes as Record<string, unknown>)) record(k, v)
      state = { ...state, ...(e.data.changes as Record<string, unknown>) }
    }
    entries.push({
      version: e.stream_version,
      at: e.occurred_at,
      // The won-deal rule's change says so: nobody clicked it.
      title: (e.data.status_change as { by?: string } | undefined)?.by === 'rule' ? 'Statut mis à jour : affaire gagnée' : (TITLES[e.type] ?? e.type),
      changes,
      actorId: (e.meta.actorId as string | null) ?? null,
      source: (e.meta.source as string | null) ?? null,
    })
  }
  return entries.reverse()
}
