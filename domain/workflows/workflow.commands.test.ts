import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { readStream } from '../shared/run-command.js'
import { ConcurrencyError, ValidationError } from '../shared/errors.js'
import { storedDefinition, type WorkflowDefinition } from './workflow.definition.js'
import {
  createWorkflowCommand,
  deleteWorkflowCommand,
  disableWorkflowCommand,
  enableWorkflowCommand,
  publishWorkflowCommand,
  rotateWebhookSecretCommand,
  saveWorkflowDraftCommand,
} from './workflow.commands.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime({ projector: false })
})
afterAll(async () => {
  await rt?.stop()
})

const draft = (subject = 'Bienvenue {{organisation.nom}}'): WorkflowDefinition => ({
  trigger: { kind: 'deal.stage_changed', from: null, to: 'SIGNE' },
  conditions: null,
  start: 'mail',
  layout: {},
  steps: [
    { id: 'mail', type: 'send_email', to: { kind: 'contact' }, subject, body: 'Bonjour {{contact.prenom}}', next: 'tache' },
    {
      id: 'tache',
      type: 'create_task',
      title: 'Onboarding {{organisation.nom}}',
      description: '',
      assignee: { kind: 'owner' },
      dueInDays: 3,
      priority: 'normal',
      next: null,
    },
  ],
})
const row = async (id: string) => {
  const r = await rt.db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { ...r, draft: storedDefinition(r.draft) }
}
const versions = async (id: string) =>
  (await rt.db.selectFrom('workflow_versions').selectAll().where('workflow_id', '=', id).orderBy('version').execute()).map((v) => ({
    ...v,
    definition: storedDefinition(v.definition),
  }))

describe('workflow commands', () => {
  it('create, save, publish v1 then v2: each version row kept, the row points at the last', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    const created = await createWorkflowCommand(rt.db, w.ctx(w.users.manager), { id, name: 'Onboarding' })
    expect(created.state!.webhook_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await saveWorkflowDraftCommand(rt.db, w.ctx(w.users.manager), { id, expectedVersion: 1, name: 'Onboarding', description: 'Clients signés', draft: draft() })
    await publishWorkflowCommand(rt.db, w.ctx(w.users.manager), { id })
    await publishWorkflowCommand(rt.db, w.ctx(w.users.manager), {
      id,
      save: { name: 'Onboarding', description: 'Clients signés', draft: draft('Bienvenue chez nous, {{organisation.nom}}') },
    })
    const vs = await versions(id)
    expect(vs.map((v) => [v.version, v.trigger_kind, v.published_by])).toEqual([
      [1, 'deal.stage_changed', w.users.manager],
      [2, 'deal.stage_changed', w.users.manager],
    ])
    expect((vs[0].definition.steps[0] as { subject: string }).subject).toBe('Bienvenue {{organisation.nom}}')
    expect((vs[1].definition.steps[0] as { subject: string }).subject).toBe('Bienvenue chez nous, {{organisation.nom}}')
    expect(await row(id)).toMatchObject({ published_version: 2, description: 'Clients signés', enabled: false })
    const events = await readStream(rt.db, w.workspaceId, id)
    expect(events.map((e) => e.type)).toEqual([
      'WorkflowCreated',
      'WorkflowRenamed',
      'WorkflowDraftSaved',
      'WorkflowPublished',
      'WorkflowDraftSaved',
      'WorkflowPublished',
    ])
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(created.state!.webhook_secret)
  })

  it('an invalid publish saves and publishes nothing', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createWorkflowCommand(rt.db, w.ctx(), { id, name: 'Cassé', draft: draft() })
    const before = await row(id)
    const err = await publishWorkflowCommand(rt.db, w.ctx(), { id, save: { name: 'Cassé', description: '', draft: draft('Bonjour {{client.nom}}') } }).catch(
      (e) => e,
    )
    expect(err).toBeInstanceOf(ValidationError)
    expect(err.fieldErrors).toEqual({ 'steps.mail.subject': { code: 'workflow.variable.unknown', params: { path: 'client.nom' } } })
    expect(await row(id)).toEqual(before)
    expect(await versions(id)).toEqual([])
  })

  it('enabling an unpublished workflow publishes it; disable, stale version refused', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createWorkflowCommand(rt.db, w.ctx(), { id, name: 'Relance', draft: draft() })
    await enableWorkflowCommand(rt.db, w.ctx(), { id, expectedVersion: 1 })
    expect(await row(id)).toMatchObject({ enabled: true, published_version: 1, version: 3 })
    expect(await versions(id)).toHaveLength(1)
    await expect(disableWorkflowCommand(rt.db, w.ctx(), { id, expectedVersion: 1 })).rejects.toBeInstanceOf(ConcurrencyError)
    await disableWorkflowCommand(rt.db, w.ctx(), { id, expectedVersion: 3 })
    expect((await row(id)).enabled).toBe(false)
  })

  it('refuses to enable an empty workflow with the reason', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createWorkflowCommand(rt.db, w.ctx(), { id, name: 'Vide' })
    const err = await enableWorkflowCommand(rt.db, w.ctx(), { id }).catch((e) => e)
    expect(err.fieldErrors).toEqual({ workflow: 'workflow.empty' })
    expect((await row(id)).enabled).toBe(false)
  })

  it('rotates the webhook secret and deletes softly, within the workspace only', async () => {
    const w = await givenWorkspace(rt.db)
    const other = await givenWorkspace(rt.db)
    const id = randomUUID()
    const c = await createWorkflowCommand(rt.db, w.ctx(), { id, name: 'Hook', draft: { ...draft(), trigger: { kind: 'webhook' } } })
    const r = await rotateWebhookSecretCommand(rt.db, w.ctx(), { id })
    expect(r.secret).not.toBe(c.state!.webhook_secret)
    expect((await row(id)).webhook_secret).toBe(r.secret)
    await expect(deleteWorkflowCommand(rt.db, other.ctx(), { id })).rejects.toThrow('workflow.not_found')
    await deleteWorkflowCommand(rt.db, w.ctx(), { id })
    expect((await row(id)).deleted_at).not.toBeNull()
  })
})
