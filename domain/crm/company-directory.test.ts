import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_DIRECTORY_URL, directoryConfigFromEnv, prefillOf, searchCompanies } from './company-directory.js'

// The directory emulated with msw, shaped like the documented /search answer of
// https://recherche-entreprises.api.gouv.fr (results[], total_results, page, per_page).

const SG = {
  siren: '552120222',
  nom_complet: 'SOCIETE GENERALE',
  nom_raison_sociale: 'SOCIETE GENERALE',
  nature_juridique: '5599',
  tranche_effectif_salarie: '53',
  categorie_entreprise: 'GE',
  activite_principale: '64.19Z',
  siege: {
    siret: '55212022200013',
    adresse: '29 BOULEVARD HAUSSMANN 75009 PARIS',
    numero_voie: '29',
    indice_repetition: null,
    type_voie: 'BOULEVARD',
    libelle_voie: 'HAUSSMANN',
    complement_adresse: null,
    code_postal: '75009',
    libelle_commune: 'PARIS',
    activite_principale: '64.19Z',
  },
}

const seen: URL[] = []
let mode: 'ok' | 'down' | 'garbage' = 'ok'
const server = setupServer(
  http.get(`${DEFAULT_DIRECTORY_URL}/search`, ({ request }) => {
    const url = new URL(request.url)
    seen.push(url)
    if (mode === 'down') return new HttpResponse('Service Unavailable', { status: 503 })
    if (mode === 'garbage') return HttpResponse.json({ erreur: 'inattendu' })
    const q = url.searchParams.get('q') ?? ''
    const results = q === '552120222' || /g[eé]n[eé]rale/i.test(q) ? [SG] : []
    return HttpResponse.json({ results, total_results: results.length, page: 1, per_page: 5, total_pages: 1 })
  }),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mode = 'ok'
  seen.length = 0
})
afterAll(() => server.close())

const on = directoryConfigFromEnv({ ALFORIS_COMPANY_LOOKUP: 'on' })

describe('company directory lookup', () => {
  it('is off unless the operator turns it on, and then calls nobody', async () => {
    expect(await searchCompanies('552120222', directoryConfigFromEnv({}))).toEqual({ kind: 'off' })
    expect(seen).toHaveLength(0)
  })

  it('finds a company by SIRET (searched by its SIREN) and prefills the form', async () => {
    const r = await searchCompanies('552 120 222 00013', on)
    expect(seen[0].searchParams.get('q')).toBe('552120222')
    expect(r.kind).toBe('found')
    if (r.kind !== 'found') return
    expect(r.companies[0]).toMatchObject({ legalForm: 'SA à conseil d’administration', headcount: '10 000 salariés et plus' })
    expect(prefillOf(r.companies[0])).toEqual({
      name: 'SOCIETE GENERALE',
      siren: '552120222',
      siret: '55212022200013',
      address: '29 BOULEVARD HAUSSMANN',
      postal_code: '75009',
      city: 'PARIS',
      sector: 'NAF 64.19Z',
      size: 'GE',
    })
  })

  it('searches by name and says when nothing matches', async () => {
    expect(await searchCompanies('Société Générale', on)).toMatchObject({ kind: 'found', companies: [{ siren: '552120222' }] })
    expect(await searchCompanies('Inconnue', on)).toEqual({ kind: 'found', companies: [] })
  })

  it('reports the directory unreachable on an error status or an unexpected answer, never throws', async () => {
    mode = 'down'
    expect(await searchCompanies('552120222', on)).toEqual({ kind: 'unreachable' })
    mode = 'garbage'
    expect(await searchCompanies('552120222', on)).toEqual({ kind: 'unreachable' })
    const nowhere = { ...on, baseUrl: 'http://127.0.0.1:9' }
    server.use(http.get('http://127.0.0.1:9/search', () => HttpResponse.error()))
    expect(await searchCompanies('552120222', nowhere)).toEqual({ kind: 'unreachable' })
  })
})
