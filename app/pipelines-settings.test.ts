import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { loadPipelines, loadStages } from '../domain/crm/crm.repository.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { formatEuros } from './utils/format.js'
import { decodeEntities, fieldError, startTestApp, textOf, type TestApp } from './testing/app-server.js'

// /settings/pipelines through real HTTP (the built app, no JavaScript): admins only, each
// form a plain POST; the board's pipeline selector (a GET parameter); the deal page's
// stage form asking why a signed deal is reopened, and the lost reason in its header.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
}, 120_000)
afterAll(async () => {
  await app?.stop()
})

const stagesOf = async (ws: string, pipelineId: string) => (await loadStages(app.rt.db, ws)).filter((s) => s.pipeline_id === pipelineId && !s.archived)

describe('/settings/pipelines', () => {
  it('is for admins only, page and forms', async () => {
    const w = await givenWorkspace(app.rt.db)
    for (const who of ['commercial', 'manager', 'finance'] as const) {
      const user = await app.login(w.emails[who])
      expect((await user.get('/settings/pipelines')).res.status).toBe(403)
      await user.get('/deals')
      expect((await user.post('/settings/pipelines', { intent: 'create-pipeline', name: 'Pirate' })).res.status).toBe(403)
    }
    expect(await loadPipelines(app.rt.db, w.workspaceId)).toHaveLength(1)
    // The board offers the settings to admins only.
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get('/pipeline')).html).not.toContain('href="/settings/pipelines"')
    const admin = await app.login(w.emails.admin)
    expect((await admin.get('/pipeline')).html).toContain('href="/settings/pipelines"')
  })

  it('creates a pipeline, renames and reorders stages, refuses bad input beside its field, archives a stage after asking where its open deals go', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    const page = await admin.get('/settings/pipelines')
    expect(page.res.status).toBe(200)
    expect(textOf(page.html)).toContain('Pipelines et étapes')

    const created = await admin.post('/settings/pipelines', { intent: 'create-pipeline', name: 'Renouvellements' })
    expect(created.res.status).toBe(302)
    const renewal = (await loadPipelines(app.rt.db, w.workspaceId)).find((p) => p.name === 'Renouvellements')!
    const taken = await admin.post('/settings/pipelines', { intent: 'create-pipeline', name: 'renouvellements' })
    expect(taken.res.status).toBe(422)
    expect(fieldError(taken.html, 'new-pipeline')).toBe('Un autre pipeline porte déjà ce nom.')

    const [first, second] = await stagesOf(w.workspaceId, renewal.id)
    const bad = await admin.post('/settings/pipelines', {
      intent: 'update-stage',
      pipeline: renewal.id,
      code: second.code,
      label: 'Relance',
      probability: '140',
    })
    expect(bad.res.status).toBe(422)
    expect(fieldError(bad.html, `etape-${second.code}-probability`)).toBe('La probabilité est un nombre entier entre 0 et 100.')
    expect(bad.html).toContain('value="Relance"')
    const saved = await admin.post('/settings/pipelines', {
      intent: 'update-stage',
      pipeline: renewal.id,
      code: second.code,
      label: 'Relance',
      probability: '40',
    })
    expect(saved.res.status).toBe(302)
    const up = await admin.post('/settings/pipelines', { intent: 'move-stage', pipeline: renewal.id, code: second.code, direction: 'up' })
    expect(up.res.status).toBe(302)
    expect((await stagesOf(w.workspaceId, renewal.id)).map((s) => s.label).slice(0, 2)).toEqual(['Relance', first.label])
    const closed = await admin.post('/settings/pipelines', {
      intent: 'update-stage',
      pipeline: renewal.id,
      code: `${first.code.split('_')[0]}_SIGNE`,
      label: 'Gagné',
      probability: '80',
    })
    expect(closed.res.status).toBe(422)

    // An open deal in the stage to archive: the step asks where it goes.
    const org = await givenOrganisation(app.rt.db, w.ctx())
    const deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, stage: first.code })
    const step = await admin.get(`/settings/pipelines?archiver=${first.code}`)
    expect(textOf(step.html)).toContain('Cette étape contient 1 affaire(s) ouverte(s)')
    const asked = await admin.post(`/settings/pipelines?archiver=${first.code}`, { intent: 'archive-stage', pipeline: renewal.id, code: first.code })
    expect(asked.res.status).toBe(422)
    expect(decodeEntities(asked.html)).toContain('choisissez l’étape où les déplacer')
    const archived = await admin.post(`/settings/pipelines?archiver=${first.code}`, {
      intent: 'archive-stage',
      pipeline: renewal.id,
      code: first.code,
      move_to: second.code,
    })
    expect(archived.res.status).toBe(302)
    expect((await app.rt.db.selectFrom('deals').select('stage').where('id', '=', deal).executeTakeFirstOrThrow()).stage).toBe(second.code)
    const events = await app.rt.db.selectFrom('events').select('type').where('stream_id', '=', renewal.id).orderBy('stream_version').execute()
    expect(events.map((e) => e.type)).toEqual(['PipelineCreated', 'PipelineStageUpdated', 'PipelineStagesReordered', 'PipelineStageArchived'])

    // The board: the default pipeline unless another is asked for, without JavaScript.
    const board = textOf((await admin.get('/pipeline')).html)
    expect(board).toContain('Négociation')
    expect(board).not.toContain('Relance')
    const other = await admin.get(`/pipeline?pipeline=${renewal.id}`)
    expect(other.html).toContain(`<option value="${renewal.id}" selected="">Renouvellements</option>`)
    expect(textOf(other.html)).toContain('Relance')
    // Its column weighs the moved deal (10 000 €) by the probability set above (40 %), not the one it was created with.
    expect(textOf(other.html)).toContain(`pondéré ${textOf(formatEuros(400_000))}`)
  })
})

describe('the deal page stage form', () => {
  it('asks why a signed deal is reopened, and shows the lost reason in the header and the history', async () => {
    const w = await givenWorkspace(app.rt.db)
    const org = await givenOrganisation(app.rt.db, w.ctx())
    const deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, stage: 'NEGOCIATION' })
    await changeDealStageCommand(app.rt.db, w.ctx(), { id: deal, to: 'SIGNE' })
    const admin = await app.login(w.emails.admin)
    const page = await admin.get(`/deals/${deal}`)
    expect(decodeEntities(page.html)).toContain('Pourquoi la sortir de Signé ?')
    const version = async () => String((await app.rt.db.selectFrom('deals').select('version').where('id', '=', deal).executeTakeFirstOrThrow()).version)
    const refused = await admin.post(`/deals/${deal}`, { intent: 'stage', version: await version(), stage: 'NEGOCIATION' })
    expect(refused.res.status).toBe(422)
    expect(fieldError(refused.html, 'reopen_reason')).toBe('Indiquez pourquoi cette affaire signée est rouverte.')
    const lost = await admin.post(`/deals/${deal}`, { intent: 'stage', version: await version(), stage: 'PERDU', lost_reason: 'Budget gelé' })
    expect(lost.res.status).toBe(302)
    const after = textOf((await admin.get(`/deals/${deal}`)).html)
    expect(after).toContain('Perdue : Budget gelé')
    expect(after).toContain('Étape : Signé → Perdu — Raison de la perte : Budget gelé — Raison de la réouverture : Budget gelé')
  })
})
