import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { sql } from 'kysely'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { translateProblem } from '~/i18n/errors'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { canManageCampaigns } from '../../domain/campaigns/campaign-access'
import { checkDraft, createCampaign, startCampaign, type CampaignDraft } from '../../domain/campaigns/campaign.commands'
import { parisLocalToUtc } from '../../domain/shared/paris-time'

// /campaigns/new — a campaign as one plain form (it works without JavaScript): name,
// subject, text with variables, an optional button, the audience (contacts with a tag,
// or every consenting contact), then send now or at a Paris date and time. Unknown
// variables and a past date are refused beside their field; nothing is lost.

export const meta: MetaFunction = () => [{ title: 'Nouvelle campagne — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageCampaigns(auth.actor)) throw forbidden()
  const tags = await sql<{ tag: string }>`
    select distinct unnest(tags) as tag from contacts
     where workspace_id = ${auth.actor.workspaceId} and deleted_at is null order by 1 limit 500`.execute(context.runtime.db)
  return { tags: tags.rows.map((r) => r.tag) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canManageCampaigns(auth.actor)) throw forbidden()
  const values = formValues(auth.form)
  const tag = values.tag?.trim() ?? ''
  const draft: CampaignDraft = {
    name: values.name ?? '',
    subject: values.subject ?? '',
    body: (values.body ?? '').replace(/\r\n/g, '\n'),
    buttonLabel: values.button_label || null,
    buttonUrl: values.button_url || null,
    segment: tag ? { tags: [tag] } : {},
  }
  const problems = checkDraft(draft)
  const errors: Record<string, string> = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, translateProblem(auth.locale, p)]))
  let at: Date | null = null
  if (values.when === 'schedule') {
    at = parisLocalToUtc(values.scheduled_at ?? '')
    if (!at) errors.scheduled_at = translateProblem(auth.locale, 'campaign.schedule.invalid')
    else if (at.getTime() <= auth.now().getTime()) errors.scheduled_at = translateProblem(auth.locale, 'campaign.schedule.past')
  }
  if (Object.keys(errors).length) return failure(values, errors, 422)
  const db = context.runtime.db
  const id = await createCampaign(db, auth.ctx(), draft)
  try {
    await startCampaign(db, context.runtime.jobs, auth.ctx(), id, at)
  } catch (e) {
    // Not startable (no postal address, nobody to send to): the draft goes, the form stays filled.
    await db.deleteFrom('campaigns').where('id', '=', id).where('status', '=', 'draft').execute()
    return domainFailure(e, values, auth)
  }
  throw redirect(`/campaigns/${id}`)
}

export default function NewCampaign() {
  const { tags } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const v = failed?.values ?? {}
  const e = failed?.errors ?? {}
  return (
    <>
      <PageHeader title={t('campaign.new')} />
      <Card>
        <Form method="post" noValidate className="space-y-6">
          <AuthenticityTokenInput />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <TextField name="name" label={t('campaign.name')} defaultValue={v.name} error={e.name} required />
          <TextField name="subject" label={t('campaign.subject')} defaultValue={v.subject} error={e.subject} required />
          <TextAreaField name="body" label={t('campaign.body')} hint={t('campaign.bodyHint')} defaultValue={v.body} error={e.body} rows={8} required />
          <TextField name="button_label" label={t('campaign.buttonLabel')} defaultValue={v.button_label} error={e.button_label} />
          <TextField name="button_url" type="url" label={t('campaign.buttonUrl')} defaultValue={v.button_url} error={e.button_url} />
          <SelectField name="tag" label={t('campaign.segmentTag')} hint={t('campaign.segmentHint')} defaultValue={v.tag ?? ''} error={e.tag}>
            <option value="">{t('campaign.segmentAll')}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </SelectField>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">{t('campaign.when')}</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="when" value="now" defaultChecked={v.when !== 'schedule'} /> {t('campaign.sendNow')}
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="when" value="schedule" defaultChecked={v.when === 'schedule'} /> {t('campaign.schedule')}
            </label>
            <TextField name="scheduled_at" type="datetime-local" label={t('campaign.scheduledAt')} defaultValue={v.scheduled_at} error={e.scheduled_at} />
          </fieldset>
          <div className="flex flex-wrap gap-3">
            <Button disabled={navigation.state === 'submitting'}>{t('campaign.create')}</Button>
            <LinkButton to="/campaigns" variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
