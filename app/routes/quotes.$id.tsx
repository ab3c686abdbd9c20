import { CreateContractLink } from '~/components/create-contract-link'
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { HistoryList } from '~/components/history-list'
import { InvoiceQuoteForm } from '~/components/invoice-quote-form'
import { canWriteInvoices } from '~/utils/invoices.server'
import { QuoteDocumentView } from '~/components/quotes/quote-document-view'
import { editorRows, globalToInput, rowsFromForm, withSpareRow } from '~/components/quotes/quote-form'
import { QuoteLinesEditor } from '~/components/quotes/quote-lines-editor'
import { QuoteStatusBadge } from '~/components/quotes/quote-status-badge'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { CheckboxField } from '~/components/ui/checkbox-field'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { acceptQuoteCommand, changeQuoteLinesCommand, refuseQuoteCommand, reviseQuoteCommand, updateQuoteCommand } from '../../domain/sales/quote.commands'
import { computeTotals } from '../../domain/sales/quote-totals'
import { legalMentions, loadCompanySettings, sellerFromSettings } from '../../domain/sales/company-settings'
import { ValidationError } from '../../domain/shared/errors'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatDate, formatDateTime, formatEuros, formatIsoDate, toIsoDate } from '~/utils/format'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { findVisibleQuote, quoteHistory } from '~/utils/quotes.server'
import {
  checkParties,
  editorIntent,
  pageErrors,
  partyOptions,
  productChoices,
  quoteFieldErrors,
  readQuoteEditor,
  readQuoteFields,
} from '~/utils/quotes-editor.server'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.quote.number ?? 'Devis'} — Alforis CRM` }]

async function load(auth: Awaited<ReturnType<typeof requireUser>>, id: string | undefined) {
  const found = await findVisibleQuote(auth, id ?? '')
  if (!found) throw notFound()
  return found
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const found = await load(auth, params.id)
  const { quote: q } = found
  const editable = found.canWrite && q.status !== 'accepte'
  const [options, products, history, versions, company, signed] = await Promise.all([
    editable ? partyOptions(auth, q.organisation_id) : Promise.resolve({ contacts: [], deals: [] }),
    editable ? productChoices(auth) : Promise.resolve([]),
    quoteHistory(auth, q.id),
    auth.tenant
      .selectFrom('quote_versions')
      .select(['revision', 'sent_at', 'valid_until', 'total_ttc_cents', 'sha256'])
      .where('quote_versions.quote_id', '=', q.id)
      .orderBy('revision')
      .execute(),
    loadCompanySettings(auth.tenant.db, auth.user.workspaceId),
    // Versions signed online have their archived signed PDF (part B's /quotes/:id/signed.pdf).
    auth.tenant
      .selectFrom('quote_signatures')
      .select([
        'quote_signatures.revision',
        'quote_signatures.signer_name',
        'quote_signatures.signer_title',
        'quote_signatures.signed_at',
        'quote_signatures.version_pdf_sha256',
        'quote_signatures.signed_pdf_sha256',
        'quote_signatures.seal',
      ])
      .where('quote_signatures.quote_id', '=', q.id)
      .where('quote_signatures.decision', '=', 'accepte')
      .execute(),
  ])
  // The current choices stay selectable even when outside this user's lists.
  if (q.contact_id && found.contactName && !options.contacts.some((c) => c.id === q.contact_id))
    options.contacts.unshift({ id: q.contact_id, name: found.contactName })
  if (found.deal && !options.deals.some((d) => d.id === found.deal!.id)) options.deals.unshift({ id: found.deal.id, name: found.deal.title })
  const totals = computeTotals(q.lines, q.global_discount)
  return {
    quote: {
      id: q.id,
      number: q.number,
      revision: q.revision,
      status: q.status,
      version: q.version,
      title: q.title,
      organisation_id: q.organisation_id,
      contact_id: q.contact_id,
      deal_id: q.deal_id,
      validity_days: q.validity_days,
      payment_terms: q.payment_terms,
      notes: q.notes,
      valid_until: toIsoDate(q.valid_until),
      sent_at: q.sent_at,
      created_at: q.created_at,
      signed_by: q.signed_by,
      refusal_reason: q.refusal_reason,
      total_ht_cents: q.total_ht_cents,
      lines: q.lines,
      global_discount: q.global_discount,
    },
    organisationName: found.organisationName,
    contactName: found.contactName,
    deal: found.deal,
    ownerName: found.ownerName,
    canWrite: found.canWrite,
    // "Facturer" (invoicing): finance and admins, on a signed quote.
    canInvoice: canWriteInvoices(auth.actor) && q.status === 'accepte',
    editable,
    options,
    products,
    history,
    documentLines: q.lines.map((l, i) => ({ ...l, ...totals.lines[i] })),
    totals: { ...totals, lines: undefined },
    versions: versions.map((v) => ({
      revision: v.revision,
      sent_at: v.sent_at,
      valid_until: toIsoDate(v.valid_until),
      total_ttc_cents: Number(v.total_ttc_cents),
      signed: signed.some((x) => x.revision === v.revision),
      // The signature's audit trail: the hashes anyone can recompute from their copies.
      audit: (() => {
        const x = signed.find((y) => y.revision === v.revision)
        return x
          ? {
              signer: [x.signer_name, x.signer_title].filter(Boolean).join(', '),
              at: new Date(x.signed_at).toISOString(),
              versionPdfSha256: x.version_pdf_sha256,
              signedPdfSha256: x.signed_pdf_sha256,
              seal: x.seal,
            }
          : null
      })(),
    })),
    // The workspace's legal mentions as they will print (settings at /settings/company).
    mentions: legalMentions(sellerFromSettings(company), { vat: totals.vat }),
    commandIds: { save: randomUUID(), accept: randomUUID(), refuse: randomUUID(), revise: randomUUID() },
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const found = await load(auth, params.id)
  if (!found.canWrite) throw forbidden()
  const { form } = auth
  const q = found.quote
  const values = formValues(form)
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return failure(values, {}, 400, auth.t('errors.generic'))
  const commandId = commandIdOf(form)
  const db = context.runtime.db
  const intent = form.get('intent')

  if (intent === 'accept') {
    try {
      await acceptQuoteCommand(db, auth.ctx(commandId), { id: q.id, expectedVersion, revision: q.revision, signedBy: String(form.get('signed_by') ?? '') })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/quotes/${q.id}?accepte=1`)
  }
  if (intent === 'refuse') {
    try {
      await refuseQuoteCommand(db, auth.ctx(commandId), {
        id: q.id,
        expectedVersion,
        reason: String(form.get('reason') ?? ''),
        markDealLost: form.get('mark_deal_lost') === 'on',
      })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/quotes/${q.id}?refuse=1`)
  }
  if (intent === 'revise') {
    try {
      await reviseQuoteCommand(db, auth.ctx(commandId), { id: q.id, expectedVersion })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/quotes/${q.id}?nouvelle-version=1`)
  }

  // Every other button saves the editor (after adding, moving or removing a line).
  const kind = editorIntent(intent)
  const [options, products] = await Promise.all([partyOptions(auth, q.organisation_id), productChoices(auth)])
  const editor = readQuoteEditor(form, kind, products, auth)
  const { fields, errors: fieldErrors } = readQuoteFields(form, q.organisation_id, auth)
  const errors = { ...quoteFieldErrors(fields, auth.locale), ...fieldErrors, ...checkParties(fields, options, q, auth.t), ...editor.errors }
  const shown = { ...values, ...editor.values, intent: 'save' }
  if (Object.keys(errors).length) return failure(shown, errors, 400)
  try {
    await db.transaction().execute(async (trx) => {
      const ctx = (part: string) => ({ ...auth.ctx(), commandId: commandId ? `${commandId}:${part}` : undefined })
      const r = await updateQuoteCommand(trx, ctx('fields'), { id: q.id, expectedVersion, fields })
      await changeQuoteLinesCommand(trx, ctx('lines'), {
        id: q.id,
        expectedVersion: r.state!.version,
        lines: editor.lines,
        globalDiscount: editor.globalDiscount,
      })
    })
  } catch (e) {
    if (e instanceof ValidationError) return failure(shown, pageErrors(e, editor.rowOf, auth.locale), 422)
    return domainFailure(e, shown, auth)
  }
  // "Envoyer au client" saves what is on screen first, then opens part B's send page.
  if (intent === 'send' && q.status === 'brouillon') throw redirect(`/quotes/${q.id}/send`)
  const anchor = kind.kind === 'save' && intent !== 'add_line' ? '' : '#lignes'
  throw redirect(`/quotes/${q.id}?enregistre=1${anchor}`)
}

export default function QuotePage() {
  const data = useLoaderData<typeof loader>()
  const { quote: q, editable, canWrite, options, products, history, versions, commandIds, deal } = data
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const busy = navigation.state === 'submitting'
  const failedIntent = failed?.values.intent
  const saveFailed = failedIntent === 'save' || (failed && !['accept', 'refuse', 'revise'].includes(failedIntent ?? '')) ? failed : undefined
  const v = saveFailed?.values
  const rows = v ? withSpareRow(rowsFromForm((n) => v[n] ?? null)) : null
  const errors = saveFailed?.errors ?? {}
  const sentBefore = q.status !== 'brouillon'
  // Part B's page sends the draft in force (it freezes the version and mails the link).
  const canSend = editable && q.status === 'brouillon'
  const notice = search.get('accepte')
    ? t('quote.accepted')
    : search.get('refuse')
      ? t('quote.refused')
      : search.get('nouvelle-version')
        ? t('quote.revised', { revision: q.revision })
        : search.get('enregistre')
          ? t('quote.saved')
          : search.get('cree')
            ? t('quote.created', { number: q.number })
            : search.get('envoye')
              ? t('quote.sentNotice', { revision: search.get('envoye') ?? q.revision })
              : null
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {q.number}
            <QuoteStatusBadge status={q.status} />
            <span className="text-base font-medium text-slate-600">{t('quote.versionN', { revision: q.revision })}</span>
          </span>
        }
        subtitle={
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link to={`/organisations/${q.organisation_id}`} className="font-medium text-indigo-800 hover:underline">
              {data.organisationName}
            </Link>
            {data.contactName ? <span>· {data.contactName}</span> : null}
            {deal ? (
              <span>
                ·{' '}
                <Link to={`/deals/${deal.id}`} className="text-indigo-800 hover:underline">
                  {deal.title}
                </Link>
              </span>
            ) : null}
            {data.ownerName ? (
              <span>
                · {t('quote.owner')} : {data.ownerName}
              </span>
            ) : null}
          </span>
        }
        actions={
          <>
            {q.status === 'brouillon' ? (
              <a
                href={`/quotes/${q.id}/v/brouillon.pdf`}
                className="inline-flex items-center rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              >
                {t('quote.previewPdf')}
              </a>
            ) : null}
            {editable ? (
              <Button form="quote-form" name="intent" value="save" variant={q.status === 'brouillon' && canSend ? 'secondary' : 'primary'} disabled={busy}>
                {t('quote.save')}
              </Button>
            ) : null}
            {canSend ? (
              <Button form="quote-form" name="intent" value="send" disabled={busy}>
                {t('quote.send')}
              </Button>
            ) : null}
            {q.status === 'accepte' ? <CreateContractLink from={{ quote: q.id }} /> : null}
          </>
        }
      />
      {notice && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {failed ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert>
        </div>
      ) : null}
      {data.canInvoice ? <InvoiceQuoteForm quoteId={q.id} commandId={commandIds.save} error={search.get('facturation')} /> : null}

      {editable ? (
        <Form method="post" id="quote-form" noValidate className="space-y-6" key={`${q.version}-${failed ? JSON.stringify(errors) : ''}`}>
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandIds.save} />
          <input type="hidden" name="version" value={q.version} />
          {sentBefore ? (
            <Alert tone="warning">{t('quote.editingSent', { revision: q.revision, next: q.revision + 1 })}</Alert>
          ) : q.revision > 1 ? (
            <Alert tone="info">{t('quote.editingDraftOf', { revision: q.revision })}</Alert>
          ) : null}
          <Card title={t('quote.client')}>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <div>
                <p className="block text-sm font-medium text-slate-800">{t('quote.organisation')}</p>
                <p className="mt-1 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-900 ring-1 ring-inset ring-slate-200">{data.organisationName}</p>
              </div>
              <SelectField
                name="contact_id"
                label={t('quote.contact')}
                hint={t('quote.contactHint')}
                defaultValue={v?.contact_id ?? q.contact_id ?? ''}
                error={errors.contact_id}
              >
                <option value="">{t('quote.noContact')}</option>
                {options.contacts.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </SelectField>
              <SelectField
                name="deal_id"
                label={t('quote.deal')}
                hint={t('quote.dealHint')}
                defaultValue={v?.deal_id ?? q.deal_id ?? ''}
                error={errors.deal_id}
              >
                <option value="">{t('quote.noDeal')}</option>
                {options.deals.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </SelectField>
              <TextField
                name="title"
                label={t('quote.title')}
                hint={t('quote.titleHint')}
                defaultValue={v?.title ?? q.title ?? ''}
                error={errors.title}
                maxLength={200}
              />
            </div>
          </Card>
          <section id="lignes" aria-labelledby="lines-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
            <h2 id="lines-title" className="mb-3 text-base font-semibold text-slate-900">
              {t('quote.lines')}
            </h2>
            <QuoteLinesEditor
              initialRows={rows ?? editorRows(q.lines)}
              initialGlobal={
                v
                  ? { discount: v.global_discount ?? '', discount_kind: v.global_discount_kind === 'amount' ? 'amount' : 'percent' }
                  : globalToInput(q.global_discount)
              }
              errors={errors}
              products={products}
            />
          </section>
          <div className="grid gap-6 lg:grid-cols-3">
            <Card title={t('quote.conditions')} className="lg:col-span-2">
              <div className="grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)]">
                <TextField
                  name="validity_days"
                  label={t('quote.validity')}
                  hint={t('quote.validityHint')}
                  inputMode="numeric"
                  defaultValue={v?.validity_days ?? String(q.validity_days)}
                  error={errors.validity_days}
                />
                <TextAreaField
                  name="payment_terms"
                  maxLength={TEXT_LIMITS.terms}
                  label={t('quote.paymentTerms')}
                  hint={t('quote.paymentTermsHint')}
                  rows={2}
                  defaultValue={v?.payment_terms ?? q.payment_terms ?? ''}
                  error={errors.payment_terms}
                />
              </div>
              <TextAreaField
                className="mt-4"
                name="notes"
                maxLength={TEXT_LIMITS.description}
                label={t('quote.notes')}
                hint={t('quote.notesHint')}
                rows={3}
                defaultValue={v?.notes ?? q.notes ?? ''}
                error={errors.notes}
              />
              <LegalMentions mentions={data.mentions} />
            </Card>
            <div className="space-y-3 self-start rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
              <Button name="intent" value="save" disabled={busy} className="w-full">
                {t('quote.save')}
              </Button>
              <p className="text-xs text-slate-600">{t('quote.totals.rule')}</p>
            </div>
          </div>
        </Form>
      ) : (
        <div className="space-y-6">
          {!canWrite ? (
            <Alert tone="info">{t('quote.readOnlyRole')}</Alert>
          ) : q.status === 'accepte' ? (
            <Alert tone="success">{t('quote.readOnlyAccepted', { revision: q.revision })}</Alert>
          ) : null}
          <Card title={t('quote.lines')}>
            <QuoteDocumentView lines={data.documentLines} totals={data.totals} />
          </Card>
          <Card title={t('quote.conditions')}>
            <dl className="grid gap-4 text-sm sm:grid-cols-3">
              {[
                [t('quote.title'), q.title],
                [t('quote.validity'), t('quote.validityDays', { days: q.validity_days })],
                [t('quote.paymentTerms'), q.payment_terms],
                [t('quote.notes'), q.notes],
              ].map(([k, val]) => (
                <div key={k}>
                  <dt className="font-medium text-slate-700">{k}</dt>
                  <dd className="mt-1 whitespace-pre-line text-slate-900">{val || t('common.none')}</dd>
                </div>
              ))}
            </dl>
            <LegalMentions mentions={data.mentions} />
          </Card>
        </div>
      )}

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title={t('quote.actions')}>
          <StatusActions />
        </Card>
        <Card title={t('quote.versions')}>
          <ol className="space-y-2 text-sm">
            {versions.map((ver) => (
              <li key={ver.revision} className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="text-slate-900">
                  {t('quote.versionSent', { revision: ver.revision, date: formatDate(ver.sent_at) })}
                  <span className="block text-xs tabular-nums text-slate-600">{formatEuros(ver.total_ttc_cents)} TTC</span>
                </span>
                <span className="flex gap-3">
                  <Link
                    to={`/quotes/${q.id}/v/${ver.revision}`}
                    className="font-medium text-indigo-800 hover:underline"
                    aria-label={t('quote.viewVersion', { revision: ver.revision })}
                  >
                    {t('quote.view')}
                  </Link>
                  <a
                    href={`/quotes/${q.id}/v/${ver.revision}.pdf`}
                    className="font-medium text-indigo-800 hover:underline"
                    aria-label={t('quote.pdfVersion', { revision: ver.revision })}
                  >
                    PDF
                  </a>
                  {ver.signed ? (
                    <a
                      href={`/quotes/${q.id}/signed.pdf?v=${ver.revision}`}
                      className="font-medium text-green-800 hover:underline"
                      aria-label={t('quote.signedPdfVersion', { revision: ver.revision })}
                    >
                      {t('quote.signedPdf')}
                    </a>
                  ) : null}
                </span>
                {ver.audit ? (
                  <section aria-label={t('quote.audit.title', { revision: ver.revision })} className="w-full rounded-md bg-slate-50 p-2 text-xs text-slate-700">
                    <h3 className="font-semibold text-slate-900">{t('quote.audit.title', { revision: ver.revision })}</h3>
                    <dl className="mt-1 space-y-1">
                      <div>
                        <dt className="inline">{t('quote.audit.signer')} : </dt>
                        <dd className="inline">
                          {ver.audit.signer}, <time dateTime={ver.audit.at}>{formatDateTime(ver.audit.at)}</time>
                        </dd>
                      </div>
                      {ver.audit.versionPdfSha256 ? (
                        <div>
                          <dt>{t('quote.audit.versionPdf')}</dt>
                          <dd className="break-all font-mono" data-hash="version-pdf">
                            {ver.audit.versionPdfSha256}
                          </dd>
                        </div>
                      ) : null}
                      {ver.audit.signedPdfSha256 ? (
                        <div>
                          <dt>{t('quote.audit.signedPdf')}</dt>
                          <dd className="break-all font-mono" data-hash="signed-pdf">
                            {ver.audit.signedPdfSha256}
                          </dd>
                        </div>
                      ) : null}
                      <div>
                        <dt className="inline">{t('quote.audit.seal')} : </dt>
                        <dd className="inline">{ver.audit.seal === 'pades' ? t('quote.audit.sealPades') : t('quote.audit.sealHash')}</dd>
                      </div>
                    </dl>
                  </section>
                ) : null}
              </li>
            ))}
            {q.status === 'brouillon' ? <li className="text-slate-700">{t('quote.versionDraft', { revision: q.revision })}</li> : null}
            {versions.length === 0 ? <li className="text-xs text-slate-600">{t('quote.noVersions')}</li> : null}
          </ol>
        </Card>
        <Card title={t('common.history')}>
          <HistoryList items={history} />
        </Card>
      </div>
    </>
  )

  function StatusActions() {
    if (!canWrite) return <p className="text-sm text-slate-600">{t('quote.readOnlyRole')}</p>
    const acceptFailed = failedIntent === 'accept' ? failed : undefined
    const refuseFailed = failedIntent === 'refuse' ? failed : undefined
    if (q.status === 'brouillon') return <p className="text-sm text-slate-600">{t('quote.waitingForSend')}</p>
    if (q.status === 'accepte')
      return (
        <p className="text-sm text-slate-700">
          {t('quote.readOnlyAccepted', { revision: q.revision })}
          {q.signed_by ? ` — ${q.signed_by}` : ''}
        </p>
      )
    return (
      <div className="space-y-5">
        {q.status === 'envoye' ? (
          <>
            {q.valid_until ? <p className="text-sm text-slate-700">{t('quote.validUntil', { date: formatIsoDate(q.valid_until) })}</p> : null}
            <Form method="post" noValidate className="space-y-3">
              <AuthenticityTokenInput />
              <input type="hidden" name="intent" value="accept" />
              <input type="hidden" name="commandId" value={commandIds.accept} />
              <input type="hidden" name="version" value={q.version} />
              <TextField
                name="signed_by"
                label={t('quote.signedBy')}
                hint={t('quote.signedByHint')}
                defaultValue={acceptFailed?.values.signed_by ?? data.contactName ?? ''}
                error={acceptFailed?.errors.signed_by}
                maxLength={200}
              />
              <p className="text-sm text-slate-700" id="accept-effect">
                {deal
                  ? t('quote.acceptDeal', { deal: deal.title, amount: formatEuros(q.total_ht_cents) })
                  : t('quote.acceptNewDeal', { amount: formatEuros(q.total_ht_cents) })}
              </p>
              <Button disabled={busy} aria-describedby="accept-effect">
                {t('quote.accept')}
              </Button>
            </Form>
            <Form method="post" noValidate className="space-y-3 border-t border-slate-100 pt-4">
              <AuthenticityTokenInput />
              <input type="hidden" name="intent" value="refuse" />
              <input type="hidden" name="commandId" value={commandIds.refuse} />
              <input type="hidden" name="version" value={q.version} />
              <TextAreaField
                name="reason"
                label={t('quote.refusalReason')}
                rows={2}
                defaultValue={refuseFailed?.values.reason ?? ''}
                error={refuseFailed?.errors.reason}
                maxLength={1000}
              />
              {deal ? (
                <CheckboxField
                  name="mark_deal_lost"
                  label={t('quote.markDealLost', { deal: deal.title })}
                  hint={t('quote.markDealLostHint')}
                  defaultChecked={refuseFailed?.values.mark_deal_lost === 'on'}
                />
              ) : null}
              <Button variant="secondary" disabled={busy}>
                {t('quote.refuse')}
              </Button>
            </Form>
          </>
        ) : q.refusal_reason ? (
          <p className="text-sm text-slate-700">{t('quote.history.refusedReason', { reason: q.refusal_reason })}</p>
        ) : null}
        <Form method="post" className="space-y-2 border-t border-slate-100 pt-4">
          <AuthenticityTokenInput />
          <input type="hidden" name="intent" value="revise" />
          <input type="hidden" name="commandId" value={commandIds.revise} />
          <input type="hidden" name="version" value={q.version} />
          <p className="text-xs text-slate-600">{t('quote.reviseHint', { revision: q.revision, next: q.revision + 1 })}</p>
          <Button variant="secondary" disabled={busy}>
            {t('quote.revise')}
          </Button>
        </Form>
      </div>
    )
  }
}

/** The workspace's legal mentions (part B's legalMentions), under the conditions as on the PDF. */
function LegalMentions({ mentions }: { mentions: string[] }) {
  const t = useT()
  if (!mentions.length) return null
  return (
    <div className="mt-5 border-t border-slate-100 pt-4">
      <h3 className="text-sm font-medium text-slate-800">{t('quote.legalMentions')}</h3>
      <ul className="mt-1 space-y-1 text-xs text-slate-600" data-testid="legal-mentions">
        {mentions.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  )
}
