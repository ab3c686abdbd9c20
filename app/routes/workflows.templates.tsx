import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { describeTrigger } from '~/components/workflows/trigger-label'
import { useT } from '~/i18n/use-t'
import { loadStages } from '../../domain/crm/crm.repository'
import { findTemplate, WORKFLOW_TEMPLATES } from '../../domain/workflows/templates'
import { createWorkflowCommand } from '../../domain/workflows/workflow.commands'
import { notFound } from '~/utils/auth.server'
import { commandIdOf } from '~/utils/forms.server'
import { streamIdOfCommand } from '~/utils/records.server'
import { requireWorkflowManager, requireWorkflowManagerForm } from '~/utils/workflows.server'

// The ready-to-enable templates: "Utiliser ce modèle" copies one into a new workflow's
// draft and opens the editor, where it can be adapted, then published and enabled.

export const meta: MetaFunction = () => [{ title: 'Modèles de workflows — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireWorkflowManager(request, context)
  const stages = await loadStages(context.runtime.db, auth.user.workspaceId)
  return {
    commandId: randomUUID(),
    stages: stages.map((s) => ({ code: s.code, label: s.label })),
    templates: WORKFLOW_TEMPLATES.map((t) => ({
      key: t.key,
      name: t.name,
      description: t.description,
      trigger: t.definition.trigger,
      steps: t.definition.steps.length,
    })),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireWorkflowManagerForm(request, context)
  const template = findTemplate(String(auth.form.get('template') ?? ''))
  if (!template) throw notFound()
  const commandId = commandIdOf(auth.form)
  let id: string = randomUUID()
  const r = await createWorkflowCommand(context.runtime.db, auth.ctx(commandId), {
    id,
    name: template.name,
    description: template.description,
    templateKey: template.key,
    draft: structuredClone(template.definition),
  })
  if (r.duplicate && commandId) id = (await streamIdOfCommand(auth, commandId)) ?? id
  // ?modele: the template already chose the trigger and the steps; the page says to check them.
  throw redirect(`/workflows/${id}?cree=1&modele=1`)
}

export default function WorkflowTemplates() {
  const { templates, stages, commandId } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader
        title={t('wf.tpl.title')}
        subtitle={t('wf.tpl.subtitle')}
        actions={
          <LinkButton to="/workflows" variant="secondary">
            ← {t('wf.title')}
          </LinkButton>
        }
      />
      {templates.length === 0 ? <p className="text-sm text-slate-700">{t('wf.tpl.none')}</p> : null}
      <ul className="grid gap-4 md:grid-cols-3">
        {templates.map((tpl) => (
          <li key={tpl.key}>
            <Card title={tpl.name} className="flex h-full flex-col">
              <p className="text-sm text-slate-800">{tpl.description}</p>
              <p className="mt-3 text-xs text-slate-600">
                {describeTrigger(tpl.trigger, t, stages)} · {t('wf.tpl.steps', { n: tpl.steps })}
              </p>
              <Form method="post" className="mt-4">
                <AuthenticityTokenInput />
                {/* One command id per card: a double submit creates one workflow. */}
                <input type="hidden" name="commandId" value={commandId.slice(0, -2) + String(templates.indexOf(tpl)).padStart(2, '0')} />
                <input type="hidden" name="template" value={tpl.key} />
                <Button>
                  {t('wf.tpl.use')}
                  <span className="sr-only"> « {tpl.name} »</span>
                </Button>
              </Form>
            </Card>
          </li>
        ))}
      </ul>
    </>
  )
}
