import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { makeT } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { commandIdOf, domainFailure, formValues, text, type FormFailure } from '~/utils/forms.server'
import { loadVisibleQuote, snapshotPdfInput } from '~/utils/quote-documents.server'
import { renderQuotePdf } from '~/utils/quote-pdf.server'
import { canWriteRecord } from '../../domain/identity/roles'
import { loadCompanySettings, missingLegalDetails } from '../../domain/sales/company-settings'
import { formatEuros } from '../../domain/shared/money'
import { missingForSending, sendQuoteByEmail } from '../../domain/sales/quote-link-send'
import { addDays, parisDay } from '../../domain/shared/paris-time'
import type { Auth } from '~/utils/auth.server'
import type { QuoteState } from '../../domain/sales/quote'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

// /quotes/:id/send — "Envoyer le devis": recipient (the contact's address by default),
// subject and message prefilled in French. The POST freezes the version, creates the
// private signing link and queues the e-mail in one transaction (sendQuoteByEmail),
// then goes back to the quote. The version's PDF is attached to the e-mail. A plain form: works without JavaScript.

export const meta: MetaFunction = () => [{ title: 'Envoyer le devis — Alforis CRM' }]

/** Sending changes a sales record: the organisation must be writable (not finance). */
async function loadSendable(auth: Auth, id: string) {
  const quote = await loadVisibleQuote(auth, id)
  const org = await auth.tenant.selectFrom('organisations').select(['owner_id', 'shared']).where('id', '=', quote.organisation_id).executeTakeFirstOrThrow()
  const ownerTeam = org.owner_id
    ? ((await auth.tenant.selectFrom('users').select('team_id').where('id', '=', org.owner_id).executeTakeFirst())?.team_id ?? null)
    : null
  if (!canWriteRecord(auth.actor, { owner_id: org.owner_id, shared: org.shared, ownerTeamId: ownerTeam })) throw forbidden()
  return quote
}

const frenchDay = (day: string) => day.split('-').reverse().join('/')

async function defaults(auth: Auth, quote: QuoteState) {
  const db = auth.tenant.db
  const [company, contact, org] = await Promise.all([
    loadCompanySettings(db, auth.user.workspaceId),
    quote.contact_id
      ? auth.tenant.selectFrom('contacts').select(['civility', 'first_name', 'last_name', 'emails']).where('id', '=', quote.contact_id).executeTakeFirst()
      : undefined,
    auth.tenant
      .selectFrom('organisations')
      .select(['name', 'address', 'postal_code', 'city'])
      .where('id', '=', quote.organisation_id)
      .executeTakeFirstOrThrow(),
  ])
  // The customer reads French whatever the rep's interface language.
  const fr = makeT('fr')
  const name = contact
    ? contact.civility
      ? `${contact.civility === 'M.' ? 'Monsieur' : contact.civility === 'Mme' ? 'Madame' : contact.civility} ${contact.last_name}`
      : `${contact.first_name} ${contact.last_name}`
    : 'Madame, Monsieur'
  const validUntil = frenchDay(addDays(parisDay(auth.now()), quote.validity_days))
  return {
    company,
    org: org.name,
    customerMissing: missingForSending({
      seller: { workspace_id: '', name: '' },
      customer: { ...org, organisation_id: quote.organisation_id, siren: null, siret: null, vat_number: null },
    }).customer,
    contact: contact ? { name: `${contact.first_name} ${contact.last_name}`, email: contact.emails[0] ?? '' } : null,
    to: contact?.emails[0] ?? '',
    subject: fr('qsend.defaultSubject', { number: quote.number, seller: company.company_name }),
    message: fr('qsend.defaultMessage', {
      name,
      number: quote.number,
      title: quote.title ? ` « ${quote.title} »` : '',
      ttc: formatEuros(quote.total_ttc_cents),
      ht: formatEuros(quote.total_ht_cents),
      date: validUntil,
      rep: auth.user.fullName,
      seller: company.company_name,
    }),
  }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const quote = await loadSendable(auth, params.id ?? '')
  const d = await defaults(auth, quote)
  return {
    quote: {
      id: quote.id,
      number: quote.number,
      revision: quote.revision,
      status: quote.status,
      version: quote.version,
      title: quote.title,
      lines: quote.lines.length,
      ht: quote.total_ht_cents,
      ttc: quote.total_ttc_cents,
      validityDays: quote.validity_days,
    },
    org: d.org,
    contact: d.contact,
    // Admins can fix it; others are told whom to ask.
    missing: missingLegalDetails(d.company),
    customerMissing: d.customerMissing,
    organisationId: quote.organisation_id,
    isAdmin: auth.user.role === 'admin',
    values: { to: d.to, subject: d.subject, message: d.message },
    commandId: randomUUID(),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const quote = await loadSendable(auth, params.id ?? '')
  const { form } = auth
  const values = formValues(form)
  const expected = Number(text(form, 'version'))
  try {
    const r = await sendQuoteByEmail(context.runtime.db, context.runtime.jobs, auth.ctx(commandIdOf(form)), {
      id: quote.id,
      expectedVersion: Number.isInteger(expected) ? expected : undefined,
      email: { to: text(form, 'to'), subject: text(form, 'subject'), message: typeof form.get('message') === 'string' ? String(form.get('message')) : '' },
      renderPdf: async ({ snapshot, sha256 }) => renderQuotePdf(await snapshotPdfInput(context.runtime.db, auth.user.workspaceId, snapshot, sha256)),
    })
    throw redirect(`/quotes/${quote.id}?envoye=${r.duplicate ? quote.revision : r.revision}`)
  } catch (e) {
    if (e instanceof Response) throw e
    return domainFailure(e, values, auth)
  }
}

export default function SendQuote() {
  const { quote, org, contact, values: initial, commandId, missing, customerMissing, organisationId, isAdmin } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const v = failed?.values ?? initial
  const e = failed?.errors ?? {}
  const draft = quote.status === 'brouillon'
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title={t('qsend.title', { number: quote.number })}
        subtitle={draft ? t('qsend.subtitle', { revision: quote.revision }) : undefined}
        actions={
          <LinkButton to={`/quotes/${quote.id}`} variant="secondary">
            {t('qsend.cancel')}
          </LinkButton>
        }
      />
      {customerMissing.length && draft ? (
        <div className="mb-4">
          <Alert tone="error">
            {t('qsend.missingAddress', { list: customerMissing.join(', ') })}{' '}
            <Link to={`/organisations/${organisationId}`} className="font-semibold underline">
              {t('qsend.completeOrganisation')}
            </Link>
          </Alert>
        </div>
      ) : null}
      {missing.length && draft ? (
        <div className="mb-4">
          <Alert tone="error">
            {t('qsend.missingLegal', { list: missing.join(', ') })}{' '}
            {isAdmin ? (
              <Link to="/settings/company" className="font-semibold underline">
                {t('qsend.completeSettings')}
              </Link>
            ) : (
              t('qsend.askAdmin')
            )}
          </Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={t('qsend.summary')} className="lg:order-2">
          <dl className="space-y-2 text-sm">
            <div>
              <dt className="font-medium text-slate-600">{t('qsend.customer')}</dt>
              <dd>{org}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-600">{t('qsend.contact')}</dt>
              <dd>{contact ? `${contact.name}${contact.email ? ` <${contact.email}>` : ''}` : t('qsend.noContact')}</dd>
            </div>
            <div>
              <dd>{t('qsend.lines', { count: quote.lines })}</dd>
            </div>
            <div>
              <dd className="font-semibold">{t('qsend.totals', { ht: formatEuros(quote.ht), ttc: formatEuros(quote.ttc) })}</dd>
            </div>
            <div>
              <dd>{t('qsend.validity', { days: quote.validityDays })}</dd>
            </div>
          </dl>
          {draft ? (
            <p className="mt-4">
              <Link
                reloadDocument
                to={`/quotes/${quote.id}/v/brouillon.pdf`}
                className="font-semibold text-indigo-700 underline hover:text-indigo-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                {t('qsend.preview')}
              </Link>
            </p>
          ) : null}
        </Card>
        <Card className="lg:order-1 lg:col-span-2">
          {!draft ? (
            <Alert tone="warning">{t('qsend.notDraft', { revision: quote.revision })}</Alert>
          ) : (
            <Form method="post" noValidate className="space-y-4">
              <AuthenticityTokenInput />
              <input type="hidden" name="commandId" value={commandId} />
              <input type="hidden" name="version" value={quote.version} />
              {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
              {e.contact_id || e.lines || e.organisation_id ? <Alert tone="error">{e.contact_id ?? e.lines ?? e.organisation_id}</Alert> : null}
              <TextField name="to" type="email" label={t('qsend.to')} hint={t('qsend.toHint')} required defaultValue={v.to} error={e.to} autoComplete="email" />
              <TextField name="subject" maxLength={TEXT_LIMITS.subject} label={t('qsend.subject')} required defaultValue={v.subject} error={e.subject} />
              <TextAreaField
                name="message"
                label={t('qsend.message')}
                hint={t('qsend.messageHint')}
                required
                defaultValue={v.message}
                error={e.message}
                rows={12}
              />
              <Button disabled={navigation.state === 'submitting'}>{t('qsend.submit')}</Button>
            </Form>
          )}
        </Card>
      </div>
    </div>
  )
}
