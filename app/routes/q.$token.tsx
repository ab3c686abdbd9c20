import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { QuoteSignaturePad } from '~/components/quotes/quote-signature-pad'
import { QuoteSignatureView } from '~/components/quotes/quote-signature-view'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { CheckboxField } from '~/components/ui/checkbox-field'
import { TextAreaField, TextField } from '~/components/ui/field'
import { fieldErrorsOf, translateProblem } from '~/i18n/errors'
import { useT } from '~/i18n/use-t'
import { readerLocale } from '~/utils/auth.server'
import { assertSameOrigin } from '~/utils/csrf.server'
import { formValues, text, type FormFailure } from '~/utils/forms.server'
import { renderQuotePdf } from '~/utils/quote-pdf.server'
import { frozenVersionPdf, versionPdfInput } from '~/utils/quote-documents.server'
import { giveBackLinkLookup, loadPublicQuote, takeLinkLookup } from '~/utils/quote-link.server'
import { legalMentions } from '../../domain/sales/company-settings.rules'
import { linkRefusal, refuseQuoteByLink, signQuoteByLink } from '../../domain/sales/quote-signature'
import { DomainError, ValidationError } from '../../domain/shared/errors'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

// /q/:token — the customer's private page (no login): the quote version as sent, its
// PDF, and the answer: sign (drawn signature with JavaScript; typed full name plus the
// acceptance box without) or refuse with an optional reason. Unknown token: 404;
// expired or superseded: 410 with a French explanation; too many unknown tokens from
// one address: 429. A token only ever opens its own version.

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d && 'quote' in d && d.quote ? `Devis ${d.quote.number} — ${d.quote.seller.name}` : 'Devis' },
  { name: 'robots', content: 'noindex' },
]

// The page is private: never cached. Its URL never leaves as a referrer to another site
// (the app-wide Referrer-Policy is same-origin; no-referrer would make Chromium post
// "Origin: null" and the same-origin check refuse the form).
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

const gone = (reason: string) => data({ gone: reason, quote: null }, { status: 410, headers: { 'Cache-Control': 'no-store' } })

/** The quote behind the link, or 429 (too many unknown tokens from this address) / 404 (unknown token, counted as a miss). */
async function publicQuoteOf(context: LoaderFunctionArgs['context'], params: LoaderFunctionArgs['params']) {
  const db = context.runtime.db
  const ip = context.clientIp ?? null
  const now = context.runtime.now()
  // Every lookup takes a slot first (one atomic statement); a token that exists gives it back.
  if (!(await takeLinkLookup(db, ip, now))) throw new Response('Trop de tentatives', { status: 429, headers: { 'Retry-After': '900' } })
  const token = params.token ?? ''
  const pq = await loadPublicQuote(db, token, now)
  if (!pq) throw new Response('Not Found', { status: 404 })
  await giveBackLinkLookup(db, ip)
  return { db, ip, token, now, pq }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { db, token, now, pq } = await publicQuoteOf(context, params)
  const locale = await readerLocale(request, context)
  if (pq.state === 'expired') return gone(translateProblem(locale, linkRefusal(pq.link, now)!))
  await db.updateTable('quote_links').set({ last_viewed_at: now }).where('id', '=', pq.link.id).execute()
  const url = new URL(request.url)
  const answered = pq.answer
  const canAnswer = pq.state === 'open' && !answered && pq.status === 'envoye' && pq.currentRevision === pq.link.revision
  const body = {
    gone: null as string | null,
    quote: pq.snapshot,
    sha256: pq.sha256,
    mentions: legalMentions(pq.snapshot.seller, { vat: pq.snapshot.totals.vat }),
    superseded: pq.state === 'superseded' ? translateProblem(locale, linkRefusal(pq.link, now)!) : null,
    canAnswer,
    // The quote moved on without a new link (being revised, expired by the job…).
    unavailable: !canAnswer && !answered && pq.state === 'open',
    status: pq.status,
    answer: answered
      ? {
          decision: answered.decision,
          signerName: answered.signer_name,
          at: answered.signed_at.toISOString(),
          reason: answered.reason,
          hasPdf: answered.has_pdf,
        }
      : null,
    just: url.searchParams.get('signe') === '1' ? 'signed' : url.searchParams.get('refuse') === '1' ? 'refused' : null,
    pdfPath: `/q/${token}.pdf`,
  }
  // Superseded: still readable (the customer keeps what they received), no longer signable.
  return data(body, { status: pq.state === 'superseded' ? 410 : 200, headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // No session here: the token in the URL is the credential; a cross-site post is still refused.
  assertSameOrigin(request)
  const { db, ip, token, now, pq } = await publicQuoteOf(context, params)
  const form = await request.formData()
  const values = formValues(form)
  const userAgent = request.headers.get('User-Agent')
  const intent = text(form, 'intent')
  try {
    if (intent === 'accept') {
      const drawing = text(form, 'signature') || null
      // The PDF the signer was shown (kept once, same bytes forever): its hash goes in the proof.
      const received = await frozenVersionPdf(db, pq.link.workspace_id, pq.link.quote_id, pq.link.revision)
      await signQuoteByLink(db, context.runtime.jobs, pq.link, {
        signerName: text(form, 'signer_name'),
        signerTitle: text(form, 'signer_title'),
        versionPdfSha256: received?.sha256 ?? null,
        accepted: form.get('accept') === 'on',
        drawing,
        ip,
        userAgent,
        now,
        renderSignedPdf: async (p) => {
          const input = (await versionPdfInput(db, pq.link.workspace_id, pq.link.quote_id, pq.link.revision))!
          return renderQuotePdf({
            ...input,
            signature: {
              signerName: p.signerName,
              signerTitle: p.signerTitle,
              signedAt: p.signedAt,
              ip: p.ip,
              userAgent: p.userAgent,
              method: p.png ? 'drawn' : 'typed',
              image: p.png,
              versionPdfSha256: received?.sha256 ?? null,
            },
          })
        },
      })
      throw redirect(`/q/${token}?signe=1`)
    }
    if (intent === 'refuse') {
      await refuseQuoteByLink(db, context.runtime.jobs, pq.link, {
        signerName: text(form, 'refuser_name') || null,
        reason: text(form, 'reason') || null,
        ip,
        userAgent,
        now,
      })
      throw redirect(`/q/${token}?refuse=1`)
    }
    return data<FormFailure>({ ok: false, errors: {}, values, formError: 'Action inconnue.' }, { status: 400 })
  } catch (e) {
    if (e instanceof Response) throw e
    const locale = await readerLocale(request, context)
    if (e instanceof ValidationError) return data<FormFailure>({ ok: false, errors: fieldErrorsOf(locale, e), values }, { status: 422 })
    if (e instanceof DomainError)
      return data<FormFailure>({ ok: false, errors: {}, values, formError: translateProblem(locale, e.problem) }, { status: e.status })
    throw e
  }
}

export default function PublicQuote() {
  const d = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  if (d.gone || !d.quote) {
    return (
      <main id="main" className="mx-auto max-w-xl p-6">
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-xl font-bold text-slate-900">{t('qsign.goneTitle')}</h1>
          <p className="mt-2 text-slate-700">{d.gone}</p>
        </div>
      </main>
    )
  }
  const e = failed?.errors ?? {}
  const v = failed?.values ?? {}
  const busy = navigation.state === 'submitting'
  const answeredAt = d.answer
    ? new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' }).format(new Date(d.answer.at))
    : ''
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 p-4 sm:p-6">
      {d.just === 'signed' ? <Alert tone="success">{t('qsign.thanksSigned')}</Alert> : null}
      {d.just === 'refused' ? <Alert tone="info">{t('qsign.thanksRefused')}</Alert> : null}
      {d.superseded ? (
        <Alert tone="warning">
          <strong>{t('qsign.supersededTitle')}</strong> {d.superseded}
        </Alert>
      ) : null}
      {d.unavailable ? <Alert tone="warning">{d.status === 'expire' ? t('qsign.expired') : t('qsign.unavailable')}</Alert> : null}
      {d.answer?.decision === 'accepte' ? (
        <Alert tone="success">
          {t('qsign.signedBy', { name: d.answer.signerName, date: answeredAt })}{' '}
          {d.answer.hasPdf ? (
            <a className="font-semibold underline" href={d.pdfPath}>
              {t('qsign.downloadSigned')}
            </a>
          ) : null}
        </Alert>
      ) : null}
      {d.answer?.decision === 'refuse' ? <Alert tone="info">{t('qsign.refusedOn', { date: answeredAt })}</Alert> : null}

      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700">{t('qsign.intro', { seller: d.quote.seller.name })}</p>
        {d.answer?.decision !== 'accepte' ? (
          <a
            href={d.pdfPath}
            className="inline-flex items-center rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            {t('qsign.downloadPdf')}
          </a>
        ) : null}
      </div>

      <QuoteSignatureView q={d.quote} mentions={d.mentions} />

      {d.canAnswer ? (
        <div className="grid gap-6 lg:grid-cols-3">
          <section aria-labelledby="sign-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6 lg:col-span-2">
            <h2 id="sign-title" className="text-lg font-semibold text-slate-900">
              {t('qsign.signTitle')}
            </h2>
            <p className="mt-1 text-sm text-slate-700">{t('qsign.signIntro')}</p>
            {failed?.formError ? (
              <div className="mt-3">
                <Alert tone="error">{failed.formError}</Alert>
              </div>
            ) : null}
            <Form method="post" className="mt-4 space-y-4" noValidate>
              <input type="hidden" name="intent" value="accept" />
              <TextField name="signer_name" label={t('qsign.fullName')} required autoComplete="name" defaultValue={v.signer_name ?? ''} error={e.signer_name} />
              <TextField
                name="signer_title"
                label={t('qsign.signerTitle')}
                hint={t('qsign.signerTitleHint')}
                required
                autoComplete="organization-title"
                defaultValue={v.signer_title ?? ''}
                error={e.signer_title}
              />
              <QuoteSignaturePad />
              {e.signature ? (
                <p id="signature-error" className="text-sm font-medium text-red-700">
                  {e.signature}
                </p>
              ) : null}
              <CheckboxField name="accept" label={t('qsign.accept', { number: d.quote.number })} error={e.accept} defaultChecked={v.accept === 'on'} />
              <p className="text-xs text-slate-600">{t('qsign.legal', { sha: d.sha256.slice(0, 16) })}</p>
              <Button disabled={busy}>{t('qsign.signButton')}</Button>
            </Form>
          </section>
          <section aria-labelledby="refuse-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
            <h2 id="refuse-title" className="text-lg font-semibold text-slate-900">
              {t('qsign.refuseTitle')}
            </h2>
            <Form method="post" className="mt-4 space-y-4" noValidate>
              <input type="hidden" name="intent" value="refuse" />
              <TextField name="refuser_name" label={t('qsign.refuserName')} autoComplete="name" defaultValue={v.refuser_name ?? ''} />
              <TextAreaField name="reason" maxLength={TEXT_LIMITS.reason} label={t('qsign.reason')} defaultValue={v.reason ?? ''} error={e.reason} />
              <Button variant="secondary" disabled={busy}>
                {t('qsign.refuseButton')}
              </Button>
            </Form>
          </section>
        </div>
      ) : null}
    </main>
  )
}
