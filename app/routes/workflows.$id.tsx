import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { lazy, Suspense, useEffect, useRef, useState } from 'react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { ConditionGroupFields } from '~/components/workflows/condition-fields'
import { WEBHOOK_SIGNATURE_HEADER, type EditorChoices } from '~/components/workflows/editor-types'
import { StepTree } from '~/components/workflows/step-tree'
import { TriggerFields } from '~/components/workflows/trigger-fields'
import { VariablesHelp } from '~/components/workflows/variables-help'
import { useT } from '~/i18n/use-t'
import { ConcurrencyError, DomainError, NotFoundError, ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf, translateFieldProblems, translateProblem } from '~/i18n/errors'
import { definitionSchema, STEP_TYPES, variablesFor, type WorkflowDefinition } from '../../domain/workflows/workflow.definition'
import { canonical } from '../../domain/workflows/workflow.decide'
import {
  deleteWorkflowCommand,
  disableWorkflowCommand,
  enableWorkflowCommand,
  publishWorkflowCommand,
  rotateWebhookSecretCommand,
  saveWorkflowDraftCommand,
  validationEnv,
} from '../../domain/workflows/workflow.commands'
import { addStep, moveStep, removeStep, type Position } from '../../domain/workflows/workflow.edit'
import { validateWorkflow } from '../../domain/workflows/workflow.validate'
import { notFound } from '~/utils/auth.server'
import { editConditions, readEditorForm } from '~/utils/workflows-form'
import { field } from '~/utils/form-schema.server'
import {
  editorOptions,
  findWorkflowOr404,
  publishedDefinition,
  requireWorkflowManager,
  requireWorkflowManagerForm,
  webhookUrlOf,
} from '~/utils/workflows.server'

// The workflow editor. The no-JS form is the source of truth: every button is a named
// submit (`intent`), the whole draft is posted each time, and the action applies the
// button's edit (add, move, delete a step, a condition rule…), saves the draft and comes
// back here. The visual editor (client only, lazy) edits the same draft and posts it as
// JSON to the same action.

const VisualEditor = lazy(() => import('~/components/workflows/visual-editor.client'))

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.workflow.name ?? 'Workflow'} — Workflows — Alforis CRM` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireWorkflowManager(request, context)
  const wf = await findWorkflowOr404(auth, params.id)
  const [options, published] = await Promise.all([editorOptions(auth), publishedDefinition(auth, wf.id, wf.published_version)])
  return {
    workflow: {
      id: wf.id,
      name: wf.name,
      description: wf.description,
      enabled: wf.enabled,
      publishedVersion: wf.published_version,
      version: wf.version,
      draft: wf.draft,
    },
    changed: published !== null && canonical(published) !== canonical(wf.draft),
    options,
    webhookUrl: webhookUrlOf(request, wf.id),
  }
}

type ActionResult = {
  ok: false
  rev: string
  name: string
  description: string
  draft: WorkflowDefinition
  errors: Record<string, string>
  formError?: string
  /** A freshly rotated webhook secret, shown once. */
  secret?: string
}

function parsePosition(pos: string): Position | null {
  if (pos === 'start') return { at: 'start' }
  const m = /^(after|then|else)\.(.+)$/.exec(pos)
  return m ? { at: m[1] as 'after' | 'then' | 'else', stepId: m[2] } : null
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireWorkflowManagerForm(request, context)
  const wf = await findWorkflowOr404(auth, params.id)
  const { form } = auth
  const db = context.runtime.db
  const ctx = auth.ctx()
  const intent = String(form.get('intent') ?? 'save')
  const expectedVersion = Number(form.get('version'))
  const version = Number.isSafeInteger(expectedVersion) ? expectedVersion : undefined

  if (intent === 'delete') {
    try {
      await deleteWorkflowCommand(db, ctx, { id: wf.id, expectedVersion: version })
    } catch (e) {
      if (e instanceof NotFoundError) throw notFound()
      if (!(e instanceof ConcurrencyError)) throw e
      return data<ActionResult>(
        {
          ok: false,
          rev: randomUUID(),
          name: wf.name,
          description: wf.description,
          draft: wf.draft,
          errors: {},
          formError: translateProblem(auth.locale, e.problem),
        },
        { status: 409 },
      )
    }
    throw redirect('/workflows?supprime=1')
  }

  const posted = readEditorForm(form)
  let draft = posted.draft
  let anchor = ''
  const [op, arg = ''] = intent.split(/:(.*)/s)
  if (op === 'add') {
    const pos = parsePosition(arg)
    const type = field.oneOf(STEP_TYPES).safeParse(form.get(`add_type[${arg}]`))
    if (pos && type.success) {
      const r = addStep(draft, type.data, pos)
      draft = r.def
      anchor = r.id
    }
  } else if (op === 'remove') draft = removeStep(draft, arg)
  else if (op === 'up' || op === 'down') {
    draft = moveStep(draft, arg, op)
    anchor = arg
  } else if (op === 'cond_add' || op === 'cond_group' || op === 'cond_remove') {
    draft = editConditions(draft, op === 'cond_add' ? 'add' : op === 'cond_group' ? 'group' : 'remove', arg)
    const step = /^steps\.([^.]+)\./.exec(arg)
    anchor = step ? step[1] : 'conditions'
  }

  const fail = (errors: Record<string, string>, formError: string | undefined, status: number, secret?: string) =>
    data<ActionResult>({ ok: false, rev: randomUUID(), name: posted.name, description: posted.description, draft, errors, formError, secret }, { status })
  const refusal = (e: unknown, formError?: string) => {
    if (e instanceof NotFoundError) throw notFound()
    if (e instanceof ValidationError) return fail(fieldErrorsOf(auth.locale, e), formError ?? auth.t('wf.draftErrors'), 422)
    if (e instanceof DomainError) return fail({}, translateProblem(auth.locale, e.problem), e.status)
    throw e
  }

  // A draft that does not even have the definition's shape (a user not chosen, a number
  // that is not one) is not saved: the page comes back with what was typed and the errors.
  if (!definitionSchema.safeParse(draft).success) {
    // "Appliquer" just chose, say, "Une personne": show its select, not an error yet.
    if (intent === 'refresh') return data<ActionResult>({ ok: false, rev: randomUUID(), name: posted.name, description: posted.description, draft, errors: {} })
    const v = validateWorkflow(draft, await validationEnv(db, auth.user.workspaceId, auth.user.id))
    return fail(v.ok ? {} : translateFieldProblems(auth.locale, v.errors), auth.t('wf.draftErrors'), 422)
  }
  const save = { name: posted.name, description: posted.description, draft }

  if (intent === 'publish') {
    try {
      const r = await publishWorkflowCommand(db, ctx, { id: wf.id, expectedVersion: version, save })
      throw redirect(`/workflows/${wf.id}?publie=${r.state!.published_version}`)
    } catch (e) {
      if (e instanceof Response) throw e
      return refusal(e, e instanceof ValidationError ? auth.t('wf.publishErrors') : undefined)
    }
  }

  let saved
  try {
    saved = await saveWorkflowDraftCommand(db, ctx, { id: wf.id, expectedVersion: version, ...save })
  } catch (e) {
    return refusal(e)
  }
  const now = saved.state!.version
  try {
    if (intent === 'enable') {
      await enableWorkflowCommand(db, ctx, { id: wf.id, expectedVersion: now })
      throw redirect(`/workflows/${wf.id}?active=1`)
    }
    if (intent === 'disable') {
      await disableWorkflowCommand(db, ctx, { id: wf.id, expectedVersion: now })
      throw redirect(`/workflows/${wf.id}?desactive=1`)
    }
    if (intent === 'rotate_secret') {
      const r = await rotateWebhookSecretCommand(db, ctx, { id: wf.id, expectedVersion: now })
      // Shown in this response only: never in a URL, never stored anywhere it could be read back.
      return data<ActionResult>({ ok: false, rev: randomUUID(), name: posted.name, description: posted.description, draft, errors: {}, secret: r.secret })
    }
  } catch (e) {
    if (e instanceof Response) throw e
    return refusal(e, e instanceof ValidationError ? auth.t('wf.publishErrors') : undefined)
  }
  throw redirect(`/workflows/${wf.id}?enregistre=1${anchor ? `#step-${anchor}` : ''}`)
}

export default function WorkflowEditor() {
  const { workflow, changed, options, webhookUrl } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as ActionResult | undefined
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const formRef = useRef<HTMLFormElement>(null)
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])

  const draft = (result?.draft ?? workflow.draft) as WorkflowDefinition
  const errors = result?.errors ?? {}
  const choices: EditorChoices = { ...options, variables: variablesFor(draft.trigger), freeFields: draft.trigger.kind === 'webhook' }
  const busy = navigation.state === 'submitting'
  const status = workflow.publishedVersion === null ? 'unpublished' : workflow.enabled ? 'enabled' : 'disabled'

  // With JavaScript, choosing a recipient kind, a mode or a trigger kind redraws at once
  // (the same "Appliquer" submit the no-JS page shows beside them).
  useEffect(() => {
    const f = formRef.current
    if (!f) return
    const onChange = (e: Event) => {
      const el = e.target as HTMLElement
      if (!el.hasAttribute('data-refresh')) return
      const button = f.querySelector<HTMLButtonElement>('[data-refresh-button]')
      if (button) f.requestSubmit(button)
    }
    f.addEventListener('change', onChange)
    return () => f.removeEventListener('change', onChange)
  }, [])

  const flash = result
    ? null
    : search.get('publie')
      ? t('wf.published', { n: search.get('publie')! })
      : search.get('active')
        ? t('wf.enabled')
        : search.get('desactive')
          ? t('wf.disabled')
          : search.get('cree')
            ? t(search.get('modele') ? 'wf.createdFromTemplate' : 'wf.created')
            : search.get('enregistre')
              ? t('wf.saved')
              : null

  const actionBar = (
    <div className="flex flex-wrap gap-2">
      <Button name="intent" value="save" disabled={busy}>
        {t('wf.save')}
      </Button>
      <Button name="intent" value="publish" variant="secondary" disabled={busy}>
        {t('wf.publish')}
      </Button>
      {workflow.enabled ? (
        <Button name="intent" value="disable" variant="secondary" disabled={busy}>
          {t('wf.disable')}
        </Button>
      ) : (
        <Button name="intent" value="enable" variant="secondary" disabled={busy}>
          {t('wf.enable')}
        </Button>
      )}
    </div>
  )

  return (
    <>
      <PageHeader
        title={workflow.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={status === 'enabled' ? 'green' : status === 'disabled' ? 'slate' : 'amber'}>{t(`wf.status.${status}`)}</Badge>
            {workflow.publishedVersion !== null ? <Badge tone="indigo">{t('wf.version', { n: workflow.publishedVersion })}</Badge> : null}
            {changed ? <Badge tone="amber">{t('wf.status.changes')}</Badge> : null}
          </span>
        }
        actions={
          <nav aria-label={t('wf.title')} className="flex flex-wrap gap-3 text-sm font-medium">
            <Link to="/workflows" className="text-indigo-800 hover:underline">
              ← {t('wf.title')}
            </Link>
            <Link to={`/workflows/${workflow.id}/runs`} className="text-indigo-800 hover:underline">
              {t('wf.runsLink')}
            </Link>
            <Link to={`/workflows/${workflow.id}/dry-run`} className="text-indigo-800 hover:underline">
              {t('wf.dryRun')}
            </Link>
          </nav>
        }
      />
      <div className="mb-4 space-y-2">
        {flash ? <Alert tone="success">{flash}</Alert> : null}
        {result?.formError ? (
          <Alert tone="error">
            {result.formError}
            {errors.workflow ? ` ${errors.workflow}` : ''}
            {errors.start ? ` ${errors.start}` : ''}
          </Alert>
        ) : null}
        {!result && changed && workflow.publishedVersion !== null ? (
          <Alert tone="warning">{t('wf.unpublishedChanges', { n: workflow.publishedVersion })}</Alert>
        ) : null}
        {!result && workflow.publishedVersion === null ? <Alert tone="info">{t('wf.neverPublished')}</Alert> : null}
      </div>

      {hydrated ? (
        <Card title={t('wf.editor.visual')} className="mb-6">
          <Suspense fallback={<p className="text-sm text-slate-600">{t('wf.editor.loadingVisual')}</p>}>
            <VisualEditor
              key={result?.rev ?? `v${workflow.version}`}
              draft={draft}
              choices={choices}
              errors={errors}
              name={result?.name ?? workflow.name}
              description={result?.description ?? workflow.description}
              version={workflow.version}
            />
          </Suspense>
        </Card>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <Form method="post" noValidate ref={formRef} key={result?.rev ?? `v${workflow.version}`} className="space-y-6" aria-label={t('wf.editor.form')}>
          <AuthenticityTokenInput />
          <input type="hidden" name="version" value={workflow.version} />
          <input type="hidden" name="layout_json" value={JSON.stringify(draft.layout ?? {})} />
          <Card title={t('wf.editor.general')}>
            <div className="space-y-4">
              <TextField name="name" label={t('wf.name')} defaultValue={result?.name ?? workflow.name} error={errors.name} required maxLength={120} />
              <TextAreaField
                name="description"
                label={t('wf.description')}
                defaultValue={result?.description ?? workflow.description}
                error={errors.description}
                rows={2}
              />
              {actionBar}
            </div>
          </Card>
          <Card title={t('wf.trigger')}>
            <TriggerFields
              trigger={draft.trigger}
              errors={errors}
              choices={choices}
              webhook={draft.trigger.kind === 'webhook' ? { url: webhookUrl, header: WEBHOOK_SIGNATURE_HEADER, secret: result?.secret ?? null } : null}
            />
          </Card>
          <Card title={t('wf.conditions')}>
            <p className="mb-3 text-sm text-slate-600">{t('wf.conditions.hint')}</p>
            {draft.conditions ? (
              <ConditionGroupFields group={draft.conditions} name="conditions" path="conditions" errors={errors} choices={choices} />
            ) : (
              <div className="flex flex-wrap items-center gap-3">
                <p className="text-sm text-slate-700">{t('wf.conditions.none')}</p>
                <Button name="intent" value="cond_add:conditions" variant="secondary">
                  {t('wf.cond.add')}
                </Button>
              </div>
            )}
          </Card>
          <Card title={t('wf.steps')}>
            <p className="mb-3 text-sm text-slate-600">{t('wf.steps.hint')}</p>
            <StepTree def={draft} errors={errors} choices={choices} />
          </Card>
          <div className="rounded-md border border-slate-200 bg-white p-3 shadow-sm">{actionBar}</div>
        </Form>
        <aside className="space-y-4 lg:sticky lg:top-4 lg:self-start">
          <VariablesHelp variables={choices.variables} webhook={choices.freeFields} />
          <Form method="post" className="rounded-md border border-red-200 bg-white p-3 text-sm">
            <AuthenticityTokenInput />
            <input type="hidden" name="version" value={workflow.version} />
            <p className="mb-2 text-xs text-slate-700">{t('wf.deleteConfirm')}</p>
            <Button name="intent" value="delete" variant="danger">
              {t('wf.delete')}
            </Button>
          </Form>
        </aside>
      </div>
    </>
  )
}
