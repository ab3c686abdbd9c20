import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import type { MessageKey } from '~/i18n/fr'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { commandIdOf, domainFailure, failure, formValues, isUuid, text, type FormFailure } from '~/utils/forms.server'
import { loadPipelines, loadStages } from '../../domain/crm/crm.repository'
import {
  addStageCommand,
  archiveStageCommand,
  createPipelineCommand,
  moveStageCommand,
  renamePipelineCommand,
  updateStageCommand,
} from '../../domain/crm/pipeline-config.commands'
import { canAdminister } from '../../domain/identity/roles'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

// /settings/pipelines — an admin's pipelines and their stages: create and rename
// pipelines; per stage rename, set the probability, move up or down (the keyboard path:
// one no-JS form per button), archive (a step that asks where the open deals go). Every
// form is a plain POST answered by a redirect; errors come back beside their form.

export const meta: MetaFunction = () => [{ title: 'Pipelines et étapes — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  const db = auth.tenant.db
  const ws = auth.user.workspaceId
  const [pipelines, stages, open] = await Promise.all([
    loadPipelines(db, ws),
    loadStages(db, ws),
    // From the board's per-stage rollup (migration 0017, ~100 rows a workspace), not a scan
    // of the deals: an open stage only holds open deals. The archive itself counts them exactly.
    sql<{ stage: string; n: string }>`select stage, sum(deals) as n from deal_stage_totals where workspace_id = ${ws} group by stage`.execute(db),
  ])
  const openDeals = Object.fromEntries(open.rows.map((r) => [r.stage, Number(r.n)]))
  const url = new URL(request.url)
  const archiving = url.searchParams.get('archiver')
  const archived = stages.find((s) => s.code === archiving && !s.archived && s.kind === 'open')
  return {
    saved: url.searchParams.get('enregistre') === '1',
    pipelines: pipelines.map((p) => ({
      ...p,
      stages: stages.filter((s) => s.pipeline_id === p.id && !s.archived).map((s) => ({ ...s, openDeals: openDeals[s.code] ?? 0 })),
      archived: stages.filter((s) => s.pipeline_id === p.id && s.archived).map((s) => s.label),
    })),
    archiving: archived ? { code: archived.code, label: archived.label, pipelineId: archived.pipeline_id!, openDeals: openDeals[archived.code] ?? 0 } : null,
    commandId: randomUUID(),
  }
}

const INTENTS = ['create-pipeline', 'rename-pipeline', 'add-stage', 'update-stage', 'move-stage', 'archive-stage'] as const
type Intent = (typeof INTENTS)[number]

/** A probability as typed ("60", "60 %"), or NaN: the domain says what is wrong with it. */
const percent = (s: string) => (/^\d{1,3}\s*%?$/.test(s) ? Number.parseInt(s, 10) : Number.NaN)

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const intent = text(form, 'intent') as Intent
  if (!INTENTS.includes(intent)) return failure(values, {}, 400, auth.t('errors.generic'))
  const pipelineId = text(form, 'pipeline')
  if (intent !== 'create-pipeline' && !isUuid(pipelineId)) return failure(values, {}, 400, auth.t('errors.generic'))
  const db = context.runtime.db
  const ctx = auth.ctx(commandIdOf(form))
  const code = text(form, 'code')
  let anchor = `pipeline-${pipelineId}`
  try {
    switch (intent) {
      case 'create-pipeline': {
        const r = await createPipelineCommand(db, ctx, { name: text(form, 'name') })
        anchor = `pipeline-${r.state?.id ?? ''}`
        break
      }
      case 'rename-pipeline':
        await renamePipelineCommand(db, ctx, { id: pipelineId, name: text(form, 'name') })
        break
      case 'add-stage':
        await addStageCommand(db, ctx, { id: pipelineId, label: text(form, 'label'), probability: percent(text(form, 'probability')) })
        break
      case 'update-stage':
        await updateStageCommand(db, ctx, {
          id: pipelineId,
          code,
          label: text(form, 'label'),
          probability: form.has('probability') ? percent(text(form, 'probability')) : undefined,
        })
        anchor = `etape-${code}`
        break
      case 'move-stage':
        await moveStageCommand(db, ctx, { id: pipelineId, code, direction: text(form, 'direction') === 'up' ? 'up' : 'down' })
        anchor = `etape-${code}`
        break
      case 'archive-stage':
        await archiveStageCommand(db, ctx, { id: pipelineId, code, moveTo: text(form, 'move_to') || null })
        break
    }
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/settings/pipelines?enregistre=1#${anchor}`)
}

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
const small =
  'rounded-md bg-white px-2.5 py-1.5 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50'

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>

export default function PipelineSettingsPage() {
  const data = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  // Each form shows the errors of its own submission (same intent, pipeline and stage).
  const failedFor = (intent: Intent, pipeline = '', code = '') =>
    failed && failed.values.intent === intent && (failed.values.pipeline ?? '') === pipeline && (failed.values.code ?? '') === code ? failed : undefined
  const creating = failedFor('create-pipeline')
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageHeader title={t('pipelines.title')} subtitle={t('pipelines.subtitle')} />
      {data.saved && !failed ? <Alert tone="success">{t('pipelines.saved')}</Alert> : null}
      {failed?.formError ? <Alert tone="error">{failed.formError}</Alert> : null}
      {data.archiving ? (
        <ArchiveStep archiving={data.archiving} data={data} failed={failedFor('archive-stage', data.archiving.pipelineId, data.archiving.code)} />
      ) : null}
      {data.pipelines.map((p) => (
        <PipelineCard key={p.id} pipeline={p} failedFor={failedFor} commandId={data.commandId} busy={busy} />
      ))}
      <Card title={t('pipelines.newTitle')}>
        <Form method="post" noValidate className="flex flex-wrap items-end gap-3">
          <AuthenticityTokenInput />
          <input type="hidden" name="intent" value="create-pipeline" />
          <input type="hidden" name="commandId" value={data.commandId} />
          <TextInput
            id="new-pipeline"
            name="name"
            label={t('pipelines.newName')}
            hint={t('pipelines.newHint')}
            error={creating?.errors.name}
            defaultValue={creating?.values.name}
          />
          <Button disabled={busy}>{t('pipelines.create')}</Button>
        </Form>
      </Card>
    </div>
  )
}

function TextInput({
  id,
  name,
  label,
  hint,
  error,
  defaultValue,
  inputMode,
  className = 'min-w-48 flex-1',
}: {
  id: string
  name: string
  label: string
  hint?: string
  error?: string
  defaultValue?: string
  inputMode?: 'numeric'
  className?: string
}) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        name={name}
        defaultValue={defaultValue}
        inputMode={inputMode}
        maxLength={inputMode ? 5 : TEXT_LIMITS.short_name}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className={`${input} mt-1 ${error ? 'border-red-600' : ''}`}
      />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

type FailedFor = (intent: Intent, pipeline?: string, code?: string) => FormFailure | undefined

function Hidden({ intent, pipeline, code, commandId }: { intent: Intent; pipeline: string; code?: string; commandId: string }) {
  return (
    <>
      <AuthenticityTokenInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="pipeline" value={pipeline} />
      {code ? <input type="hidden" name="code" value={code} /> : null}
      <input type="hidden" name="commandId" value={commandId} />
    </>
  )
}

function PipelineCard({
  pipeline: p,
  failedFor,
  commandId,
  busy,
}: {
  pipeline: Loaded['pipelines'][number]
  failedFor: FailedFor
  commandId: string
  busy: boolean
}) {
  const t = useT()
  const renaming = failedFor('rename-pipeline', p.id)
  const adding = failedFor('add-stage', p.id)
  const open = p.stages.filter((s) => s.kind === 'open')
  return (
    <section
      id={`pipeline-${p.id}`}
      aria-labelledby={`pipeline-${p.id}-title`}
      className="scroll-mt-20 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
    >
      <h2 id={`pipeline-${p.id}-title`} className="text-lg font-semibold text-slate-900">
        {p.name}
      </h2>
      <Form method="post" noValidate className="mt-3 flex flex-wrap items-end gap-3">
        <Hidden intent="rename-pipeline" pipeline={p.id} commandId={commandId} />
        <TextInput
          id={`pipeline-${p.id}-name`}
          name="name"
          label={t('pipelines.name')}
          error={renaming?.errors.name}
          defaultValue={renaming?.values.name ?? p.name}
        />
        <Button variant="secondary" disabled={busy}>
          {t('pipelines.rename')}
        </Button>
      </Form>
      <h3 className="mt-6 text-base font-semibold text-slate-900">{t('pipelines.stages', { name: p.name })}</h3>
      <ol className="mt-2 divide-y divide-slate-200">
        {p.stages.map((s, i) => {
          const f = failedFor('update-stage', p.id, s.code) ?? failedFor('move-stage', p.id, s.code)
          const id = `etape-${s.code}`
          const formId = `${id}-form`
          const openIndex = open.findIndex((o) => o.code === s.code)
          return (
            <li key={s.code} id={id} className="flex scroll-mt-20 flex-wrap items-end gap-3 py-3">
              <Form method="post" noValidate id={formId} className="flex flex-1 flex-wrap items-end gap-3">
                <Hidden intent="update-stage" pipeline={p.id} code={s.code} commandId={commandId} />
                <TextInput
                  id={`${id}-label`}
                  name="label"
                  label={t('pipelines.stageLabel', { position: i + 1 })}
                  error={f?.errors.label ?? f?.errors.code}
                  defaultValue={f?.values.label ?? s.label}
                />
                {s.kind === 'open' ? (
                  <TextInput
                    id={`${id}-probability`}
                    name="probability"
                    inputMode="numeric"
                    className="w-40"
                    label={t('pipelines.stageProbability', { position: i + 1 })}
                    error={f?.errors.probability}
                    defaultValue={f?.values.probability ?? String(s.probability)}
                  />
                ) : (
                  <p className="pb-2 text-sm text-slate-600">{t(`pipelines.kind.${s.kind}` as MessageKey)}</p>
                )}
                <button type="submit" className={small} disabled={busy} aria-label={t('pipelines.stageSaveLabel', { stage: s.label })}>
                  {t('pipelines.stageSave')}
                </button>
              </Form>
              {s.kind === 'open' ? (
                <div className="flex flex-wrap items-center gap-2 pb-0.5">
                  {s.openDeals ? <span className="text-xs text-slate-600">{t('pipelines.openDeals', { count: s.openDeals })}</span> : null}
                  {(['up', 'down'] as const).map((dir) => (
                    <Form key={dir} method="post" noValidate>
                      <Hidden intent="move-stage" pipeline={p.id} code={s.code} commandId={commandId} />
                      <input type="hidden" name="direction" value={dir} />
                      <button
                        type="submit"
                        className={small}
                        disabled={busy || (dir === 'up' ? openIndex === 0 : openIndex === open.length - 1)}
                        aria-label={t(dir === 'up' ? 'pipelines.moveUpLabel' : 'pipelines.moveDownLabel', { stage: s.label })}
                      >
                        {t(dir === 'up' ? 'pipelines.moveUp' : 'pipelines.moveDown')}
                      </button>
                    </Form>
                  ))}
                  {open.length > 1 ? (
                    <Link
                      to={`/settings/pipelines?archiver=${encodeURIComponent(s.code)}#archiver`}
                      className={small}
                      aria-label={t('pipelines.archiveLabel', { stage: s.label })}
                    >
                      {t('pipelines.archive')}
                    </Link>
                  ) : null}
                </div>
              ) : null}
            </li>
          )
        })}
      </ol>
      {p.archived.length ? <p className="mt-2 text-xs text-slate-600">{t('pipelines.archived', { list: p.archived.join(', ') })}</p> : null}
      <h3 className="mt-6 text-base font-semibold text-slate-900">{t('pipelines.addTitle', { name: p.name })}</h3>
      <Form method="post" noValidate className="mt-2 flex flex-wrap items-end gap-3">
        <Hidden intent="add-stage" pipeline={p.id} commandId={commandId} />
        <TextInput
          id={`pipeline-${p.id}-add-label`}
          name="label"
          label={t('pipelines.addLabel')}
          error={adding?.errors.label}
          defaultValue={adding?.values.label}
        />
        <TextInput
          id={`pipeline-${p.id}-add-probability`}
          name="probability"
          inputMode="numeric"
          className="w-40"
          label={t('pipelines.addProbability')}
          error={adding?.errors.probability}
          defaultValue={adding?.values.probability ?? '50'}
        />
        <Button variant="secondary" disabled={busy}>
          {t('pipelines.add')}
        </Button>
      </Form>
    </section>
  )
}

/** The archive step: what happens to the stage's open deals, and where they go. */
function ArchiveStep({ archiving: a, data, failed }: { archiving: NonNullable<Loaded['archiving']>; data: Loaded; failed?: FormFailure }) {
  const t = useT()
  const targets = data.pipelines.find((p) => p.id === a.pipelineId)?.stages.filter((s) => s.kind === 'open' && s.code !== a.code) ?? []
  const error = failed?.errors.move_to ?? failed?.errors.code
  return (
    <section id="archiver" aria-labelledby="archiver-titre" className="scroll-mt-20 rounded-lg border border-indigo-200 bg-white p-4 shadow-sm">
      <h2 id="archiver-titre" className="text-base font-semibold text-slate-900">
        {t('pipelines.archiveTitle', { stage: a.label })}
      </h2>
      <Form method="post" action={`/settings/pipelines?archiver=${encodeURIComponent(a.code)}`} noValidate className="mt-3 space-y-3">
        <Hidden intent="archive-stage" pipeline={a.pipelineId} code={a.code} commandId={data.commandId} />
        <p className="text-sm text-slate-800">{a.openDeals ? t('pipelines.archiveDeals', { count: a.openDeals }) : t('pipelines.archiveNone')}</p>
        {a.openDeals ? (
          <div className="max-w-sm">
            <label htmlFor="archiver-vers" className="block text-sm font-medium text-slate-800">
              {t('pipelines.archiveMoveTo')}
            </label>
            <select
              id="archiver-vers"
              name="move_to"
              defaultValue={failed?.values.move_to ?? ''}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'archiver-vers-error' : undefined}
              className={`${input} mt-1`}
            >
              <option value="">—</option>
              {targets.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label} ({s.probability} %)
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {error ? (
          <p id="archiver-vers-error" className="text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button variant="danger">{t('pipelines.archiveConfirm')}</Button>
          <Link to={`/settings/pipelines#etape-${a.code}`} className={`${small} px-4 py-2`}>
            {t('pipelines.cancel')}
          </Link>
        </div>
      </Form>
    </section>
  )
}
