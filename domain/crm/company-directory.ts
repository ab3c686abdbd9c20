import type { OrganisationFields } from './organisation.js'

// The French government's company directory, "API Recherche d'entreprises"
// (https://recherche-entreprises.api.gouv.fr/search?q=…, no key). Off by default: the
// operator turns it on (ALFORIS_COMPANY_LOOKUP=on) where the server may reach it; the base
// URL is the operator's (ALFORIS_COMPANY_LOOKUP_URL), never typed by a user (ADR 0035).

export type DirectoryConfig = { enabled: boolean; baseUrl: string; timeoutMs: number }

export const DEFAULT_DIRECTORY_URL = 'https://recherche-entreprises.api.gouv.fr'

export function directoryConfigFromEnv(env: Record<string, string | undefined> = process.env): DirectoryConfig {
  return {
    enabled: env.ALFORIS_COMPANY_LOOKUP === 'on',
    baseUrl: (env.ALFORIS_COMPANY_LOOKUP_URL || DEFAULT_DIRECTORY_URL).replace(/\/+$/, ''),
    timeoutMs: 5000,
  }
}

/** One result of /search, the fields we read (as documented by the API). */
export type DirectoryResult = {
  siren: string
  nom_complet?: string | null
  nom_raison_sociale?: string | null
  nature_juridique?: string | null
  tranche_effectif_salarie?: string | null
  categorie_entreprise?: string | null
  activite_principale?: string | null
  siege?: {
    siret?: string | null
    adresse?: string | null
    numero_voie?: string | null
    indice_repetition?: string | null
    type_voie?: string | null
    libelle_voie?: string | null
    complement_adresse?: string | null
    code_postal?: string | null
    libelle_commune?: string | null
    activite_principale?: string | null
  } | null
}

/** What a result prefills on the organisation form, plus what is shown beside it. */
export type DirectoryCompany = {
  siren: string
  siret: string | null
  name: string
  address: string | null
  postal_code: string | null
  city: string | null
  /** The NAF/APE code of the head office ("62.01Z"). */
  naf: string | null
  legalForm: string | null
  headcount: string | null
  size: string | null
}

export type LookupOutcome = { kind: 'off' } | { kind: 'unreachable' } | { kind: 'found'; companies: DirectoryCompany[] }

// The most common legal forms (INSEE "catégories juridiques", level 3); others show their code.
const LEGAL_FORMS: Record<string, string> = {
  '1000': 'Entrepreneur individuel',
  '5410': 'SARL nationale',
  '5422': 'SARL immobilière',
  '5498': 'EURL',
  '5499': 'SARL',
  '5599': 'SA à conseil d’administration',
  '5699': 'SA à directoire',
  '5710': 'SAS',
  '5720': 'SASU',
  '6540': 'SCI',
  '9220': 'Association déclarée',
}

// INSEE headcount bands ("tranche d'effectif salarié").
const HEADCOUNT: Record<string, string> = {
  NN: 'Non renseigné',
  '00': '0 salarié',
  '01': '1 ou 2 salariés',
  '02': '3 à 5 salariés',
  '03': '6 à 9 salariés',
  '11': '10 à 19 salariés',
  '12': '20 à 49 salariés',
  '21': '50 à 99 salariés',
  '22': '100 à 199 salariés',
  '31': '200 à 249 salariés',
  '32': '250 à 499 salariés',
  '41': '500 à 999 salariés',
  '42': '1 000 à 1 999 salariés',
  '51': '2 000 à 4 999 salariés',
  '52': '5 000 à 9 999 salariés',
  '53': '10 000 salariés et plus',
}

/** The form's size (TPE < 10, PME < 250, ETI < 5 000, GE) from an INSEE headcount band. */
export function sizeOfBand(band: string | null | undefined): string | null {
  if (!band || !/^\d\d$/.test(band)) return null
  const n = Number(band)
  if (n <= 3) return 'TPE'
  if (n <= 31) return 'PME'
  if (n <= 51) return 'ETI'
  return 'GE'
}

function streetOf(s: NonNullable<DirectoryResult['siege']>): string | null {
  const street = [s.numero_voie, s.indice_repetition, s.type_voie, s.libelle_voie].filter(Boolean).join(' ').trim()
  const full = [s.complement_adresse, street].filter(Boolean).join(', ')
  if (full) return full
  // Only the one-line form: drop its trailing "75001 PARIS".
  if (s.adresse && s.code_postal) return s.adresse.split(s.code_postal)[0].trim() || null
  return s.adresse ?? null
}

export function toDirectoryCompany(r: DirectoryResult): DirectoryCompany {
  const s = r.siege ?? {}
  const band = r.tranche_effectif_salarie ?? null
  return {
    siren: r.siren,
    siret: s.siret ?? null,
    name: (r.nom_complet || r.nom_raison_sociale || r.siren).trim(),
    address: streetOf(s),
    postal_code: s.code_postal ?? null,
    city: s.libelle_commune ?? null,
    naf: s.activite_principale ?? r.activite_principale ?? null,
    legalForm: r.nature_juridique ? (LEGAL_FORMS[r.nature_juridique] ?? `Catégorie juridique ${r.nature_juridique}`) : null,
    headcount: band ? (HEADCOUNT[band] ?? band) : null,
    size: sizeOfBand(band) ?? (r.categorie_entreprise === 'GE' || r.categorie_entreprise === 'ETI' ? r.categorie_entreprise : null),
  }
}

/** The organisation form's fields a chosen company fills (the others stay as typed). */
export function prefillOf(c: DirectoryCompany): Partial<Record<keyof OrganisationFields, string>> {
  return {
    name: c.name,
    siren: c.siren,
    siret: c.siret ?? '',
    address: c.address ?? '',
    postal_code: c.postal_code ?? '',
    city: c.city ?? '',
    sector: c.naf ? `NAF ${c.naf}` : '',
    size: c.size ?? '',
  }
}

/**
 * Searches the directory by SIREN, SIRET or name (up to 5 companies). Never throws: off,
 * unreachable (network, timeout, an error status, an unexpected body) or found.
 *
 * @example await searchCompanies('552120222', directoryConfigFromEnv())
 */
export async function searchCompanies(q: string, config: DirectoryConfig, fetchFn: typeof fetch = fetch): Promise<LookupOutcome> {
  if (!config.enabled) return { kind: 'off' }
  // A SIRET is searched by its SIREN: the API answers per company.
  const digits = q.replace(/\s/g, '')
  const query = /^\d{14}$/.test(digits) ? digits.slice(0, 9) : /^\d{9}$/.test(digits) ? digits : q.trim()
  const url = `${config.baseUrl}/search?${new URLSearchParams({ q: query, page: '1', per_page: '5' })}`
  try {
    const res = await fetchFn(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(config.timeoutMs) })
    if (!res.ok) return { kind: 'unreachable' }
    const body = (await res.json()) as { results?: unknown }
    if (!Array.isArray(body.results)) return { kind: 'unreachable' }
    const results = (body.results as DirectoryResult[]).filter((r) => r && typeof r.siren === 'string')
    return { kind: 'found', companies: results.map(toDirectoryCompany) }
  } catch {
    return { kind: 'unreachable' }
  }
}
