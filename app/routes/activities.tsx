import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { LogActivityForm } from '~/components/log-activity-form'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { logActivityCommand } from '../../domain/crm/contact.commands'
import { validateActivityFields } from '../../domain/crm/activity.decide'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { activityFormSchema, readActivityFields } from '~/utils/activities.server'
import { forbidden, notFound, requireUser, requireUserForm, type Auth } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { findVisibleContact, fullName } from '~/utils/contacts.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, formValues, isUuid, optionalText, type FormFailure } from '~/utils/forms.server'
import { toParisLocalInput } from '../../domain/shared/paris-time'
import { findVisibleDeal, findVisibleOrganisation } from '~/utils/records.server'

// Logging an activity. Record pages embed <LogActivityForm>, which posts here (a fetcher
// with JavaScript, a plain form without). Success redirects back to the record; a
// refused form without JavaScript is shown again on this page with its errors.

export const meta: MetaFunction = () => [{ title: 'Enregistrer une activité — Alforis CRM' }]

type Links = { organisation_id: string | null; contact_id: string | null; deal_id: string | null }
type Record_ = { path: string; label: string }

/**
 * The records an activity is attached to, each one visible to this user, and the one
 * the form came from. A link this user cannot see (another workspace, another rep's
 * private record) is "not found": the whole request is a 404.
 */
async function resolveLinks(auth: Auth, links: Links): Promise<Record_ | null> {
  for (const id of [links.organisation_id, links.contact_id, links.deal_id]) if (id && !isUuid(id)) throw notFound()
  const [organisation, contact, deal] = await Promise.all([
    links.organisation_id ? findVisibleOrganisation(auth, links.organisation_id) : null,
    links.contact_id ? findVisibleContact(auth, links.contact_id) : null,
    links.deal_id ? findVisibleDeal(auth, links.deal_id) : null,
  ])
  if ((links.organisation_id && !organisation) || (links.contact_id && !contact) || (links.deal_id && !deal)) throw notFound()
  if (deal) return { path: `/deals/${deal.id}`, label: deal.title }
  if (contact) return { path: `/contacts/${contact.id}`, label: fullName(contact) }
  if (organisation) return { path: `/organisations/${organisation.id}`, label: organisation.name }
  return null
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const params = new URL(request.url).searchParams
  const links: Links = { organisation_id: params.get('organisation'), contact_id: params.get('contact'), deal_id: params.get('deal') }
  const record = await resolveLinks(auth, links)
  return {
    links,
    record,
    redirectTo: safeRedirectTo(params.get('redirectTo'), record?.path ?? '/'),
    commandId: randomUUID(),
    now: toParisLocalInput(context.runtime.now()),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const parsed = parseForm(form, activityFormSchema, auth)
  if (!parsed.ok) {
    const links = {
      organisation_id: optionalText(form, 'organisation_id'),
      contact_id: optionalText(form, 'contact_id'),
      deal_id: optionalText(form, 'deal_id'),
    }
    return data({ ok: false as const, errors: parsed.fieldErrors, values, record: await resolveLinks(auth, links) }, { status: 422 })
  }
  const { fields, errors } = readActivityFields(parsed.value, auth.t)
  const record = await resolveLinks(auth, fields)
  const back = safeRedirectTo(form.get('redirectTo'), record?.path ?? '/')
  if (Object.keys(errors).length) {
    let all = errors
    try {
      validateActivityFields(fields)
    } catch (e) {
      if (e instanceof ValidationError) all = { ...fieldErrorsOf(auth.locale, e), ...errors }
    }
    return data({ ok: false as const, errors: all, values, record }, { status: 400 })
  }
  const id = randomUUID()
  try {
    await logActivityCommand(context.runtime.db, auth.ctx(commandIdOf(form)), { id, fields })
  } catch (e) {
    const failed = domainFailure(e, values, auth)
    return data({ ...failed.data, record }, { status: failed.init?.status ?? 422 })
  }
  // Back to the first page of the record's timeline, at the new entry (the fragment also
  // tells the page's log form to start empty again).
  const url = new URL(back, 'http://x')
  url.searchParams.delete('activites')
  url.searchParams.delete('enregistre')
  throw redirect(`${url.pathname}${url.search}#activite-${id}`)
}

export default function LogActivityPage() {
  const loaded = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as (FormFailure & { record: Record_ | null }) | undefined
  const t = useT()
  const record = failed?.record ?? loaded.record
  const links = failed ? { organisation_id: failed.values.organisation_id, contact_id: failed.values.contact_id, deal_id: failed.values.deal_id } : loaded.links
  const redirectTo = failed?.values.redirectTo ?? loaded.redirectTo
  return (
    <>
      <PageHeader
        title={t('activity.log')}
        subtitle={
          record ? (
            <Link to={redirectTo} className="font-medium text-indigo-800 hover:underline">
              ← {record.label}
            </Link>
          ) : null
        }
      />
      <Card>
        {record ? (
          <LogActivityForm
            key={failed?.values.commandId ?? loaded.commandId}
            links={links}
            redirectTo={redirectTo}
            commandId={failed?.values.commandId ?? loaded.commandId}
            defaultOccurredAt={loaded.now}
            failed={failed}
          />
        ) : (
          <p className="text-sm text-slate-700">{t('activity.chooseRecord')}</p>
        )}
      </Card>
    </>
  )
}
