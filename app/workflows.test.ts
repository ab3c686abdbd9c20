import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, fieldError, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { storedDefinition } from '../domain/workflows/workflow.definition.js'

// The workflow screens over real HTTP, posting forms the way a browser without
// JavaScript does: the editor's whole form is read from the page and sent back with the
// pressed button's intent, like a no-JS submit.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let b: Awaited<ReturnType<typeof givenWorkspace>>
let manager: WebClient

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  b = await givenWorkspace(app.rt.db, 'Autre Espace')
  manager = await app.login(w.emails.manager)
})
afterAll(async () => {
  await app?.stop()
})

/** The successful controls of the page's editor form (inputs, checked boxes, selected options, textareas), in order. */
function formFields(html: string): Array<[string, string]> {
  const form = /<form[^>]*aria-label="Éditeur en formulaire"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1]
  if (!form) throw new Error('editor form not found')
  const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)
    return m ? decodeEntities(m[1]) : null
  }
  const out: Array<[string, string]> = []
  for (const m of form.matchAll(/<input\b[^>]*>|<select\b[^>]*>[\s\S]*?<\/select>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>/g)) {
    const tag = m[0]
    const name = attr(tag, 'name')
    if (!name) continue
    if (tag.startsWith('<input')) {
      const type = attr(tag, 'type') ?? 'text'
      if ((type === 'checkbox' || type === 'radio') && !/\schecked=""/.test(tag)) continue
      if (type === 'submit') continue
      out.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')])
    } else if (tag.startsWith('<select')) {
      const options = [...tag.matchAll(/<option\b([^>]*)>/g)]
      const chosen = options.find((o) => /\sselected=""/.test(o[1])) ?? options[0]
      out.push([name, chosen ? decodeEntities(/value="([^"]*)"/.exec(chosen[1])?.[1] ?? '') : ''])
    } else {
      out.push([name, decodeEntities(m[1] ?? '').replace(/^\n/, '')])
    }
  }
  return out
}

/** Submits the editor as a browser would: every field, `changes` applied, plus the pressed button. */
async function submitEditor(client: WebClient, id: string, intent: string, changes: Record<string, string> = {}, html?: string) {
  const page = html ?? (await client.get(`/workflows/${id}`)).html
  const fields = formFields(page).filter(([k]) => !(k in changes))
  const body = new URLSearchParams([...fields, ...Object.entries(changes), ['intent', intent]])
  body.set('csrf', client.csrf)
  const res = await client.request(`/workflows/${id}`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  return { res, html: await res.text() }
}

const row = async (id: string) => {
  const r = await app.rt.db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { ...r, draft: storedDefinition(r.draft) }
}
const versions = async (id: string) =>
  (await app.rt.db.selectFrom('workflow_versions').selectAll().where('workflow_id', '=', id).orderBy('version').execute()).map((v) => ({
    ...v,
    definition: storedDefinition(v.definition),
  }))
const idFrom = (res: Response) => /\/workflows\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]

async function createWorkflow(client: WebClient, name: string) {
  await client.get('/workflows/new')
  const { res } = await client.post('/workflows/new', { name, description: 'Créé par le test' })
  expect(res.status).toBe(302)
  return idFrom(res)
}

describe('the no-JS workflow editor', () => {
  it('builds email + task + a branch, saves, publishes v1; v2 keeps v1', async () => {
    const id = await createWorkflow(manager, 'Bienvenue aux signés')
    let r = await submitEditor(manager, id, 'refresh', { 'trigger[kind]': 'deal.stage_changed' })
    expect(r.res.status).toBe(302)
    r = await submitEditor(manager, id, 'add:start', { 'add_type[start]': 'send_email', 'trigger[to]': 'SIGNE' })
    expect(r.res.headers.get('location')).toBe(`/workflows/${id}?enregistre=1#step-email-1`)
    // What is typed in the first step survives adding the second.
    r = await submitEditor(manager, id, 'add:after.email-1', {
      'add_type[after.email-1]': 'create_task',
      'steps[0][to][kind]': 'contact',
      'steps[0][subject]': 'Bienvenue {{organisation.nom}}',
      'steps[0][body]': 'Bonjour {{contact.prenom}},\n\nMerci !',
    })
    expect(r.res.status).toBe(302)
    r = await submitEditor(manager, id, 'add:after.tache-1', {
      'add_type[after.tache-1]': 'branch',
      'steps[1][title]': 'Onboarding {{organisation.nom}}',
      'steps[1][dueInDays]': '3',
    })
    r = await submitEditor(manager, id, 'add:then.si-1', {
      'add_type[then.si-1]': 'notify',
      'steps[2][condition][rules][0][field]': 'affaire.montant',
      'steps[2][condition][rules][0][op]': 'gt',
      'steps[2][condition][rules][0][value]': '100 000',
    })
    const { html } = await manager.get(`/workflows/${id}`)
    expect(textOf(html)).toContain('Étape 4 — Notifier dans l’application')
    r = await submitEditor(manager, id, 'save', { 'steps[3][to][kind]': 'manager', 'steps[3][title]': 'Gros contrat signé : {{affaire.titre}}' }, html)
    expect(r.res.headers.get('location')).toBe(`/workflows/${id}?enregistre=1`)

    const draft = (await row(id)).draft
    expect(draft.trigger).toEqual({ kind: 'deal.stage_changed', from: null, to: 'SIGNE' })
    expect(draft.start).toBe('email-1')
    expect(draft.steps).toEqual([
      {
        id: 'email-1',
        type: 'send_email',
        to: { kind: 'contact' },
        subject: 'Bienvenue {{organisation.nom}}',
        body: 'Bonjour {{contact.prenom}},\n\nMerci !',
        next: 'tache-1',
      },
      {
        id: 'tache-1',
        type: 'create_task',
        title: 'Onboarding {{organisation.nom}}',
        description: '',
        assignee: { kind: 'owner' },
        dueInDays: 3,
        priority: 'normal',
        next: 'si-1',
      },
      {
        id: 'si-1',
        type: 'branch',
        condition: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '100 000' }] },
        then: 'notif-1',
        else: null,
      },
      { id: 'notif-1', type: 'notify', to: { kind: 'manager' }, title: 'Gros contrat signé : {{affaire.titre}}', body: '', next: null },
    ])

    r = await submitEditor(manager, id, 'publish')
    expect(r.res.headers.get('location')).toBe(`/workflows/${id}?publie=1`)
    expect((await manager.get(r.res.headers.get('location')!)).html).toContain('Version 1 publiée')
    r = await submitEditor(manager, id, 'publish', { 'steps[0][subject]': 'Bienvenue chez nous, {{organisation.nom}}' })
    expect(r.res.headers.get('location')).toBe(`/workflows/${id}?publie=2`)
    const vs = await versions(id)
    expect(vs.map((v) => v.version)).toEqual([1, 2])
    expect((vs[0].definition.steps[0] as { subject: string }).subject).toBe('Bienvenue {{organisation.nom}}')
    expect((vs[1].definition.steps[0] as { subject: string }).subject).toBe('Bienvenue chez nous, {{organisation.nom}}')

    // Enable, then the list shows it in French words.
    r = await submitEditor(manager, id, 'enable')
    expect(r.res.headers.get('location')).toBe(`/workflows/${id}?active=1`)
    const list = textOf((await manager.get('/workflows')).html)
    expect(list).toContain('Bienvenue aux signés')
    expect(list).toContain('Une affaire change d’étape (N’importe quelle étape → Signé)')
    expect(list).toContain('actif')
    expect(list).toContain('v2')
  })

  it('an invalid publish shows French errors beside the fields and publishes nothing', async () => {
    const id = await createWorkflow(manager, 'À moitié fini')
    await submitEditor(manager, id, 'add:start', { 'add_type[start]': 'send_email' })
    await submitEditor(manager, id, 'add:after.email-1', { 'add_type[after.email-1]': 'create_task' })
    const before = await row(id)
    const r = await submitEditor(manager, id, 'publish', { 'steps[0][subject]': 'Relance {{client.nom}}', 'steps[0][body]': 'Bonjour' })
    expect(r.res.status).toBe(422)
    expect(textOf(r.html)).toContain('Rien n’a été publié')
    expect(fieldError(r.html, 'steps\\[0\\]\\[subject\\]')).toBe('La variable {{client.nom}} n’existe pas pour ce déclencheur.')
    expect(fieldError(r.html, 'steps\\[1\\]\\[title\\]')).toBe('Ce champ est obligatoire.')
    // What was typed is still in the form.
    expect(r.html).toContain('value="Relance {{client.nom}}"')
    expect(await row(id)).toEqual(before)
    expect(await versions(id)).toEqual([])
  })

  it('refuses, beside the step, an e-mail to the contact of an organisation just created (it has none yet)', async () => {
    const id = await createWorkflow(manager, 'Bienvenue trop tôt')
    await submitEditor(manager, id, 'refresh', { 'trigger[kind]': 'organisation.created' })
    await submitEditor(manager, id, 'add:start', { 'add_type[start]': 'send_email' })
    const r = await submitEditor(manager, id, 'publish', {
      'steps[0][to][kind]': 'contact',
      'steps[0][subject]': 'Bienvenue {{contact.prenom}}',
      'steps[0][body]': 'Bonjour',
    })
    expect(r.res.status).toBe(422)
    expect(fieldError(r.html, 'steps\\[0\\]\\[to\\]\\[kind\\]')).toMatch(/^À la création d’une organisation, elle n’a encore aucun contact/)
    expect(fieldError(r.html, 'steps\\[0\\]\\[subject\\]')).toMatch(/^La variable contact.prenom n’existe pas encore à ce moment/)
    expect(await versions(id)).toEqual([])
  })

  it('refuses to create a workflow without a name, in French', async () => {
    await manager.get('/workflows/new')
    const { res, html } = await manager.post('/workflows/new', { name: ' ', description: 'Sans nom' })
    expect(res.status).toBe(422)
    expect(fieldError(html, 'name')).toBe('Le nom est obligatoire.')
    expect(html).toContain('Sans nom')
  })

  it('refuses an empty name and a user recipient not chosen, keeping the rest', async () => {
    const id = await createWorkflow(manager, 'Nom à garder')
    await submitEditor(manager, id, 'add:start', { 'add_type[start]': 'notify' })
    const r = await submitEditor(manager, id, 'save', { name: '', 'steps[0][title]': 'À voir' })
    expect(r.res.status).toBe(422)
    expect(fieldError(r.html, 'name')).toBe('Le nom est obligatoire.')
    expect(r.html).toContain('value="À voir"')
    expect((await row(id)).name).toBe('Nom à garder')
    // "Appliquer" on "Une personne" shows the person select (nothing saved, no error yet)…
    const r2 = await submitEditor(manager, id, 'refresh', { 'steps[0][to][kind]': 'user', 'steps[0][title]': 'À voir' })
    expect(r2.res.status).toBe(200)
    expect(r2.html).toContain('name="steps[0][to][userId]"')
    expect(fieldError(r2.html, 'steps\\[0\\]\\[to\\]\\[userId\\]')).toBeNull()
    // …saving without choosing one is refused beside it.
    const r3 = await submitEditor(manager, id, 'save', {}, r2.html)
    expect(r3.res.status).toBe(422)
    expect(fieldError(r3.html, 'steps\\[0\\]\\[to\\]\\[userId\\]')).toBe('Choisissez une personne de votre espace.')
    expect((await row(id)).draft.steps[0]).toMatchObject({ to: { kind: 'owner' } })
  })

  it('moves, removes steps and edits entry conditions without JavaScript', async () => {
    const id = await createWorkflow(manager, 'Ordre')
    await submitEditor(manager, id, 'add:start', { 'add_type[start]': 'add_tag' })
    await submitEditor(manager, id, 'add:after.etiquette-1', { 'add_type[after.etiquette-1]': 'delay' })
    await submitEditor(manager, id, 'up:attente-1')
    expect((await row(id)).draft.start).toBe('attente-1')
    await submitEditor(manager, id, 'cond_add:conditions')
    await submitEditor(manager, id, 'cond_group:conditions', { 'conditions[rules][0][field]': 'affaire.source', 'conditions[rules][0][op]': 'empty' })
    const d = (await row(id)).draft
    expect(d.conditions).toEqual({
      combinator: 'and',
      rules: [
        { field: 'affaire.source', op: 'empty', value: '' },
        { combinator: 'or', rules: [{ field: 'affaire.titre', op: 'eq', value: '' }] },
      ],
    })
    await submitEditor(manager, id, 'cond_remove:conditions.1')
    await submitEditor(manager, id, 'remove:attente-1')
    const after = (await row(id)).draft
    expect(after.steps.map((s) => s.id)).toEqual(['etiquette-1'])
    expect(after.start).toBe('etiquette-1')
    expect(after.conditions!.rules).toHaveLength(1)
  })

  it('rotates the webhook secret and shows it once', async () => {
    const id = await createWorkflow(manager, 'Hook')
    await submitEditor(manager, id, 'refresh', { 'trigger[kind]': 'webhook' })
    const before = (await row(id)).webhook_secret
    const r = await submitEditor(manager, id, 'rotate_secret')
    const secret = (await row(id)).webhook_secret
    expect(secret).not.toBe(before)
    expect(r.html).toContain(secret)
    expect(r.html).toContain(`/hooks/workflows/${id}`)
    expect((await manager.get(`/workflows/${id}`)).html).not.toContain(secret)
  })

  it('creates from a template, which then enables (publishing v1)', async () => {
    const { html } = await manager.get('/workflows/templates')
    expect(textOf(html)).toContain('Relance automatique')
    expect(textOf(html)).toContain('Aucune activité depuis 30 jours (Affaire, Proposition)')
    const commandId = /name="commandId" value="([^"]+)"/.exec(html)![1]
    const { res } = await manager.post('/workflows/templates', { template: 'relance-automatique', commandId })
    const id = idFrom(res)
    expect(await row(id)).toMatchObject({ template_key: 'relance-automatique', name: 'Relance automatique' })
    const r = await submitEditor(manager, id, 'enable')
    expect(r.res.headers.get('location')).toBe(`/workflows/${id}?active=1`)
    expect(await row(id)).toMatchObject({ enabled: true, published_version: 1 })
  })
})

describe('the list', () => {
  it('shows the last real run status, linked to its run page, dry runs left out', async () => {
    const id = await createWorkflow(manager, 'Avec exécutions')
    await submitEditor(manager, id, 'add:start', { 'add_type[start]': 'add_tag' })
    await submitEditor(manager, id, 'enable', { 'steps[0][tag]': 'Vu' })
    const run = (n: number, status: 'failed' | 'succeeded', dry: boolean) => ({
      id: randomUUID(),
      workspace_id: w.workspaceId,
      workflow_id: id,
      workflow_version: 1,
      trigger_kind: 'deal.created',
      trigger_key: `k${n}`,
      trigger_payload: {},
      status,
      correlation_id: randomUUID(),
      dry_run: dry,
      created_at: new Date(Date.now() - 60_000 + n * 1000),
    })
    const failed = run(1, 'failed', false)
    // `as never`: db/schema/workflow-runs.ts types created_at as Generated<ColumnType>, which accepts no value (reported to part B).
    await app.rt.db
      .insertInto('workflow_runs')
      .values([run(0, 'succeeded', false), failed, run(2, 'succeeded', true)] as never)
      .execute()
    const { html } = await manager.get('/workflows')
    const line = textOf(html).split('Avec exécutions')[1]
    expect(line).toContain('En échec')
    expect(html).toContain('href="/workflows/failed"')
    expect(html).toContain(`href="/workflows/runs/${failed.id}"`)
  })
})

describe('access', () => {
  it('commercial and finance get 403 everywhere', async () => {
    const id = await createWorkflow(manager, 'Privé')
    for (const email of [w.emails.commercial, w.emails.finance]) {
      const c = await app.login(email)
      for (const path of ['/workflows', '/workflows/new', '/workflows/templates', `/workflows/${id}`])
        expect((await c.get(path)).res.status, `${email} ${path}`).toBe(403)
      expect((await c.post(`/workflows/${id}`, { intent: 'delete' })).res.status).toBe(403)
    }
    expect((await row(id)).deleted_at).toBeNull()
  })

  it('another workspace gets 404 and cannot change it', async () => {
    const id = await createWorkflow(manager, 'Chez nous')
    const outsider = await app.login(b.emails.admin)
    expect((await outsider.get(`/workflows/${id}`)).res.status).toBe(404)
    expect((await outsider.post(`/workflows/${id}`, { intent: 'delete' })).res.status).toBe(404)
    expect(textOf((await outsider.get('/workflows')).html)).not.toContain('Chez nous')
    expect((await row(id)).deleted_at).toBeNull()
  })

  it('an admin deletes a workflow softly', async () => {
    const id = await createWorkflow(manager, 'À jeter')
    const admin = await app.login(w.emails.admin)
    await admin.get(`/workflows/${id}`)
    const { res } = await admin.post(`/workflows/${id}`, { intent: 'delete', version: String((await row(id)).version) })
    expect(res.headers.get('location')).toBe('/workflows?supprime=1')
    expect((await row(id)).deleted_at).not.toBeNull()
    expect((await admin.get(`/workflows/${id}`)).res.status).toBe(404)
  })
})
