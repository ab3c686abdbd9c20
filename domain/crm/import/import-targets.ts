import { headerKey } from './csv.js'

export type ImportEntity = 'organisations' | 'contacts'

export type TargetField = { key: string; label: string; required?: boolean; synonyms: string[] }

// The fields a CSV column can feed, with the header names French files usually use.
export const TARGETS: Record<ImportEntity, TargetField[]> = {
  organisations: [
    {
      key: 'name',
      label: 'Nom / raison sociale',
      required: true,
      synonyms: ['nom', 'raisonsociale', 'societe', 'entreprise', 'organisation', 'denomination', 'name', 'company'],
    },
    { key: 'siren', label: 'SIREN', synonyms: ['siren'] },
    { key: 'siret', label: 'SIRET', synonyms: ['siret'] },
    { key: 'vat_number', label: 'N° TVA intracommunautaire', synonyms: ['tva', 'numerotva', 'tvaintracommunautaire', 'ntva', 'vat', 'vatnumber'] },
    { key: 'address', label: 'Adresse', synonyms: ['adresse', 'address', 'rue'] },
    { key: 'postal_code', label: 'Code postal', synonyms: ['codepostal', 'cp', 'postalcode', 'zip'] },
    { key: 'city', label: 'Ville', synonyms: ['ville', 'commune', 'city'] },
    { key: 'phone', label: 'Standard (téléphone)', synonyms: ['standard', 'telephone', 'tel', 'phone', 'telephonestandard'] },
    { key: 'email', label: 'E-mail générique', synonyms: ['email', 'mail', 'courriel', 'emailgenerique', 'adressemail'] },
    { key: 'website', label: 'Site web', synonyms: ['siteweb', 'site', 'siteinternet', 'website', 'web', 'url'] },
    { key: 'sector', label: 'Secteur', synonyms: ['secteur', 'secteurdactivite', 'activite', 'sector', 'industry'] },
    { key: 'size', label: 'Taille', synonyms: ['taille', 'effectif', 'size'] },
    { key: 'status', label: 'Statut', synonyms: ['statut', 'status', 'type'] },
    {
      key: 'owner_email',
      label: 'E-mail du responsable',
      synonyms: ['responsable', 'proprietaire', 'commercial', 'owner', 'owneremail', 'emailduresponsable'],
    },
    { key: 'tags', label: 'Étiquettes (séparées par des virgules)', synonyms: ['etiquettes', 'tags', 'labels'] },
  ],
  contacts: [
    { key: 'civility', label: 'Civilité', synonyms: ['civilite', 'titre', 'civility'] },
    { key: 'first_name', label: 'Prénom', required: true, synonyms: ['prenom', 'firstname'] },
    { key: 'last_name', label: 'Nom', required: true, synonyms: ['nom', 'nomdefamille', 'lastname', 'name'] },
    { key: 'job_title', label: 'Fonction', synonyms: ['fonction', 'poste', 'titreduposte', 'jobtitle'] },
    { key: 'email', label: 'E-mail', synonyms: ['email', 'mail', 'courriel', 'adresseemail', 'email1'] },
    { key: 'phone', label: 'Téléphone', synonyms: ['telephone', 'tel', 'mobile', 'portable', 'phone'] },
    { key: 'organisation', label: 'Organisation (nom ou SIREN)', synonyms: ['organisation', 'societe', 'entreprise', 'company', 'raisonsociale', 'siren'] },
    { key: 'owner_email', label: 'E-mail du responsable', synonyms: ['responsable', 'proprietaire', 'commercial', 'owner', 'emailduresponsable'] },
    { key: 'gdpr_consent', label: 'Consentement RGPD (oui/non)', synonyms: ['consentement', 'consentementrgpd', 'optin', 'rgpd'] },
    { key: 'consent_source', label: 'Source du consentement', synonyms: ['sourceduconsentement', 'source', 'origine'] },
    { key: 'marketing_opt_out', label: 'Refus marketing (oui/non)', synonyms: ['optout', 'desabonne', 'refusmarketing'] },
  ],
}

/** Guesses column → field from the headers; each field taken at most once. */
export function guessMapping(entity: ImportEntity, headers: string[]): Record<string, string | null> {
  const used = new Set<string>()
  const mapping: Record<string, string | null> = {}
  headers.forEach((h, i) => {
    const k = headerKey(h)
    const field = TARGETS[entity].find((f) => !used.has(f.key) && (f.key === k || f.synonyms.includes(k)))
    mapping[String(i)] = field?.key ?? null
    if (field) used.add(field.key)
  })
  return mapping
}

export const yes = (s: string | undefined) => !!s && /^(oui|o|yes|y|vrai|true|1|x)$/i.test(s.trim())
