import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// What a sales team reads must be French words, not the program's: no ADR numbers, no event
// type names (DealStageChanged), no template or code ids (quote_sent), no raw UTC instants.
// Every main page is rendered as each role and its visible text (and the labels a screen
// reader speaks) scanned.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
const clients: Record<string, WebClient> = {}
let org: string
let deal: string
let workflow: string

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Mots du Métier')
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Lemaire' })
  deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Four à sole' })
  for (const role of ['admin', 'manager', 'commercial', 'finance'] as const) clients[role] = await app.login(w.emails[role])
  // A workflow made from a template: its page shows its trigger, steps and runs.
  const admin = clients.admin
  const templates = await admin.get('/workflows/templates')
  const key = /name="template" value="([^"]+)"/.exec(templates.html)?.[1]
  const commandId = /name="commandId" value="([^"]+)"/.exec(templates.html)?.[1] ?? ''
  const made = await admin.post('/workflows/templates', { template: key ?? '', commandId })
  workflow = /\/workflows\/([0-9a-f-]{36})/.exec(made.res.headers.get('Location') ?? '')?.[1] ?? ''
})
afterAll(async () => {
  await app?.stop()
})

/** The words a reader sees or hears: text outside scripts and styles, and the labels and titles of elements. */
function visibleWords(html: string): string {
  const page = html.replace(/<script\b[\s\S]*?<\/script>/g, ' ').replace(/<style\b[\s\S]*?<\/style>/g, ' ')
  const labels = [...page.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1])
  const text = page.replace(/<!-- -->/g, '').replace(/<[^>]*>/g, ' ')
  // {{affaire.titre}} in a message being edited is the variables' own syntax, shown with their help.
  return decodeEntities([text, ...labels].join(' '))
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/\s+/g, ' ')
}

const DEVELOPER_WORDS: [string, RegExp][] = [
  ['an ADR number', /\bADR\s*0*\d+/],
  [
    'an event type name',
    /\b(?:[A-Z][a-z]+){1,3}(?:Created|Changed|Updated|Deleted|Moved|Sent|Signed|Won|Lost|Archived|Restored|Completed|Assigned|Published)\b/,
  ],
  ['a template or code id', /\b(?:quote_sent|quote_signed|task_reminder|task_assigned|deal\.stage_changed|[a-z]+\.[a-z]+_[a-z_]+)\b/],
  ['a raw UTC instant', /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/],
  ['a doubled word', /\b(Équipe|Modèle) \1\b/],
]

function developerWordsIn(html: string): string[] {
  const words = visibleWords(html)
  return DEVELOPER_WORDS.flatMap(([what, re]) => {
    const m = re.exec(words)
    return m ? [`${what}: « ${words.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)} »`] : []
  })
}

describe('no developer words on screen', () => {
  it('the scanner catches what it looks for', () => {
    expect(developerWordsIn('<p>Évènement DealStageChanged le 2026-06-18T07:00:00.000Z (ADR 0009) Modèle quote_sent</p>')).toHaveLength(4)
    expect(developerWordsIn('<script>{"type":"DealStageChanged","at":"2026-06-18T07:00:00Z"}</script><p>Une affaire change d’étape</p>')).toEqual([])
  })

  const pages = () => [
    '/',
    '/contacts',
    '/contacts/new',
    '/organisations',
    `/organisations/${org}`,
    '/deals',
    '/deals/new',
    `/deals/${deal}`,
    '/pipeline',
    '/quotes',
    '/tasks',
    '/activities',
    '/products',
    '/goals',
    '/notifications',
    '/workflows',
    '/workflows/templates',
    `/workflows/${workflow}`,
    `/workflows/${workflow}?cree=1&modele=1`,
    `/workflows/${workflow}/runs`,
    '/admin/mailbox',
    '/settings/company',
    '/settings/notifications',
    '/import',
    '/page-qui-n-existe-pas',
  ]

  for (const role of ['admin', 'manager', 'commercial', 'finance'] as const) {
    it(`as ${role}, the main pages speak French only`, async () => {
      const found: string[] = []
      for (const path of pages()) {
        const { res, html } = await clients[role].get(path)
        if (res.status >= 300 && res.status < 400) continue
        for (const f of developerWordsIn(html)) found.push(`${path} → ${f}`)
      }
      expect(found).toEqual([])
    })
  }

  it('the revenue chart marks the month under way, and shows no month still to come', async () => {
    const { html } = await clients.admin.get('/?periode=annee')
    const words = visibleWords(html)
    expect(words).toContain('(mois en cours)')
    // The month under way is the table's last row: nothing after it.
    expect(/\(mois en cours\)\s*[\d\s ]+€\s*[\d\s ]+€\s*Total/.test(words)).toBe(true)
  })

  it('a page that does not exist keeps the navigation and a way back, in French', async () => {
    const { res, html } = await clients.commercial.get('/page-qui-n-existe-pas')
    expect(res.status).toBe(404)
    const words = visibleWords(html)
    expect(words).toContain('Page introuvable')
    expect(html).toMatch(/<nav\b/)
    expect(html).toMatch(/<a[^>]*href="\/"[^>]*>[^<]*Retour à l’accueil/)
    expect(words).toContain('Affaires')
  })
})
