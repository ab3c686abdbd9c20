import { directoryConfigFromEnv, prefillOf, searchCompanies, type DirectoryCompany } from '../../domain/crm/company-directory'

export type CompanyLookup = {
  enabled: boolean
  q: string
  /** Why there is no list: off, unreachable, nothing found, query too short. */
  problem: 'off' | 'unreachable' | 'none' | 'tooShort' | null
  companies: DirectoryCompany[]
  /** The chosen company's values for the organisation form (?siren=). */
  prefill: Record<string, string> | null
}

/**
 * The directory search of an organisation form, read from the page's URL (a GET form,
 * so it works without JavaScript): ?annuaire=<SIREN, SIRET or name>, then ?siren=<chosen>.
 */
export async function companyLookupOf(url: URL): Promise<CompanyLookup> {
  const config = directoryConfigFromEnv()
  const base = { enabled: config.enabled, q: '', problem: null, companies: [], prefill: null }
  if (!url.searchParams.has('annuaire')) return base
  const q = (url.searchParams.get('annuaire') ?? '').trim().slice(0, 200)
  if (!config.enabled) return { ...base, q, problem: 'off' }
  if (q.replace(/\s/g, '').length < 3) return { ...base, q, problem: 'tooShort' }
  const outcome = await searchCompanies(q, config)
  if (outcome.kind !== 'found') return { ...base, q, problem: outcome.kind }
  const chosen = outcome.companies.find((c) => c.siren === url.searchParams.get('siren'))
  return { ...base, q, problem: outcome.companies.length ? null : 'none', companies: outcome.companies, prefill: chosen ? prefillOf(chosen) : null }
}
