import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge, type BadgeTone } from '~/components/ui/badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { activateContractCommand, attachSignedFileCommand } from '../../domain/contracts/contract.commands'
import { PERIOD_LABELS, REASON_LABELS, STATUS_LABELS, TYPE_LABELS, isLive } from '../../domain/contracts/contract'
import { noticeDeadline } from '../../domain/contracts/contract-dates'
import { fileStore } from '../../domain/files/file-storage'
import type { ContractStatus } from '../../db/schema'
import { ValidationError } from '../../domain/shared/errors'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { contractPageData } from '~/utils/contract-page.server'
import { findVisibleContract } from '~/utils/contracts.server'
import { domainFailure, failure, type FormFailure } from '~/utils/forms.server'
import { formatEuros, formatIsoDate } from '~/utils/format'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.contract.title ?? 'Contrat'} — Alforis CRM` }]

const STATUS_TONES: Record<ContractStatus, BadgeTone> = { brouillon: 'slate', actif: 'green', a_renouveler: 'amber', resilie: 'red', expire: 'slate' }
const MAX_PDF_BYTES = 20 * 1024 * 1024

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const contract = await findVisibleContract(auth, params.id ?? '')
  if (!contract) throw notFound()
  return { contract, ...(await contractPageData(auth, contract.id)) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const contract = await findVisibleContract(auth, params.id ?? '')
  if (!contract) throw notFound()
  if (!contract.canWrite) throw forbidden()
  const { form } = auth
  const intent = form.get('intent')
  try {
    if (intent === 'activate') {
      await activateContractCommand(context.runtime.db, auth.ctx(), { id: contract.id, expectedVersion: Number(form.get('version')) })
      throw redirect(`/contracts/${contract.id}?active=1`)
    }
    if (intent === 'upload') {
      const file = form.get('file')
      if (!(file instanceof File) || file.size === 0) return domainFailure(fileProblem('contract.file.missing'), {}, auth)
      const bytes = new Uint8Array(await file.arrayBuffer())
      const isPdf = bytes.length > 4 && String.fromCharCode(...bytes.slice(0, 5)) === '%PDF-'
      if (!isPdf) return domainFailure(fileProblem('contract.file.not_pdf'), {}, auth)
      if (bytes.length > MAX_PDF_BYTES) return domainFailure(fileProblem('contract.file.too_large'), {}, auth)
      const stored = await fileStore(context.runtime.db).put(auth.user.workspaceId, bytes, 'application/pdf')
      const name = (file.name || 'contrat.pdf').replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 120)
      await attachSignedFileCommand(context.runtime.db, auth.ctx(), { id: contract.id, sha256: stored.sha256, name })
      throw redirect(`/contracts/${contract.id}?depose=1`)
    }
  } catch (e) {
    if (e instanceof Response) throw e
    return domainFailure(e, {}, auth)
  }
  return failure({}, {}, 400, auth.t('form.invalid'))
}

const fileProblem = (code: 'contract.file.not_pdf' | 'contract.file.too_large' | 'contract.file.missing') => new ValidationError({ file: code })

export default function ContractPage() {
  const { contract: c, versions, renewals, steps, items, mrrToday } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [params] = useSearchParams()
  const t = useT()
  const notice = params.get('cree')
    ? 'contract.created'
    : params.get('avenant')
      ? 'contract.amended'
      : params.get('resilie')
        ? 'contract.terminated'
        : params.get('active')
          ? 'contract.activated'
          : params.get('depose')
            ? 'contract.uploaded'
            : params.get('enregistre')
              ? 'contract.saved'
              : null
  const deadline = c.tacit_renewal ? noticeDeadline(c.end_date, c.notice_months) : null
  return (
    <>
      <PageHeader
        title={c.title}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONES[c.status]}>{STATUS_LABELS[c.status]}</Badge>
            <Link to={`/organisations/${c.organisation_id}`} className="text-indigo-700 underline">
              {c.organisation_name}
            </Link>
            <span>· {TYPE_LABELS[c.type]}</span>
          </span>
        }
        actions={
          c.canWrite ? (
            <>
              {c.status !== 'resilie' && c.status !== 'expire' ? (
                <LinkButton to={`/contracts/${c.id}/edit`} variant="secondary">
                  {t('contract.edit')}
                </LinkButton>
              ) : null}
              {isLive(c) ? (
                <>
                  <LinkButton to={`/contracts/${c.id}/amend`} variant="secondary">
                    {t('contract.amend')}
                  </LinkButton>
                  <LinkButton to={`/contracts/${c.id}/terminate`} variant="secondary">
                    {t('contract.terminate')}
                  </LinkButton>
                </>
              ) : null}
              {c.status === 'brouillon' ? (
                <Form method="post">
                  <AuthenticityTokenInput />
                  <input type="hidden" name="intent" value="activate" />
                  <input type="hidden" name="version" value={c.version} />
                  <Button>{t('contract.activate')}</Button>
                </Form>
              ) : null}
            </>
          ) : null
        }
      />
      {notice ? (
        <div className="mb-4">
          <Alert tone="success">{t(notice as never)}</Alert>
        </div>
      ) : null}
      {failed?.formError ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
            <Item label={t('contract.mrr')} value={t('contract.mrrPerMonth', { amount: formatEuros(mrrToday) })} />
            <Item
              label={t('contract.amount')}
              value={t('contract.priceLine', {
                amount: formatEuros(c.unit_amount_cents),
                quantity: c.quantity,
                period: PERIOD_LABELS[c.amount_period].toLowerCase(),
              })}
            />
            <Item label={t('contract.startDate')} value={formatIsoDate(c.start_date)} />
            <Item label={t('contract.end')} value={formatIsoDate(c.end_date)} />
            <Item label={t('contract.tacitRenewal')} value={c.tacit_renewal ? `${c.renewal_months} mois` : '—'} />
            <Item label={t('contract.deadline')} value={deadline ? formatIsoDate(deadline) : '—'} />
            <Item label={t('contract.billingFrequency')} value={`${PERIOD_LABELS[c.billing_frequency]}, ${c.payment_terms_days} j`} />
            <Item label={t('contract.indexation')} value={c.indexation_bp === null ? '—' : `${(c.indexation_bp / 100).toLocaleString('fr-FR')} %`} />
            <Item label={t('contract.owner')} value={c.owner_name ?? '—'} />
            <Item label={t('contract.contact')} value={c.contact_name ?? '—'} />
            {c.termination_reason ? (
              <Item
                label={t('contract.terminate')}
                value={t('contract.termination', {
                  reason: REASON_LABELS[c.termination_reason],
                  date: formatIsoDate(c.termination_effective_date ?? c.end_date),
                })}
              />
            ) : null}
            {c.notes ? <Item label={t('contract.notes')} value={c.notes} /> : null}
          </dl>
        </Card>
        <Card title={t('contract.signedFile')}>
          {c.signed_file_sha256 ? (
            <p className="mb-3 text-sm">
              <a href={`/contracts/${c.id}/signed.pdf`} className="text-indigo-700 underline" download>
                {t('contract.download', { name: c.signed_file_name ?? 'contrat.pdf' })}
              </a>
            </p>
          ) : null}
          {c.canWrite ? (
            <Form method="post" encType="multipart/form-data" className="space-y-3">
              <AuthenticityTokenInput />
              <input type="hidden" name="intent" value="upload" />
              <label htmlFor="f-file" className="block text-sm font-medium text-slate-800">
                {t('contract.upload')}
              </label>
              <input
                id="f-file"
                name="file"
                type="file"
                accept="application/pdf"
                aria-invalid={failed?.errors.file ? true : undefined}
                aria-describedby={failed?.errors.file ? 'file-error' : undefined}
                className="block w-full text-sm"
              />
              {failed?.errors.file ? (
                <p id="file-error" className="text-sm font-medium text-red-700">
                  {failed.errors.file}
                </p>
              ) : null}
              <Button variant="secondary">{t('contract.upload')}</Button>
            </Form>
          ) : null}
        </Card>
        <Card title={t('contract.versions')} className="lg:col-span-2">
          <ol className="space-y-3 text-sm">
            {versions.map((v) => (
              <li key={v.number} className="border-l-2 border-indigo-200 pl-3">
                <p className="font-medium text-slate-900">
                  {v.number === 0 ? t('contract.versionInitial') : t('contract.version', { n: v.number })} —{' '}
                  {t('contract.effectiveFrom', { date: formatIsoDate(v.effective) })}
                </p>
                <p className="text-slate-700">
                  {[
                    v.changes.unit_amount_cents !== undefined ? `${t('contract.amount')} : ${formatEuros(v.changes.unit_amount_cents)}` : null,
                    v.changes.quantity !== undefined ? `${t('contract.quantity')} : ${v.changes.quantity}` : null,
                    v.changes.end_date !== undefined ? `${t('contract.endDate')} : ${formatIsoDate(v.changes.end_date)}` : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
                {v.reason ? <p className="text-slate-600">{v.reason}</p> : null}
              </li>
            ))}
          </ol>
        </Card>
        <Card title={t('contract.renewalHistory')}>
          {renewals.length ? (
            <ul className="space-y-2 text-sm">
              {renewals.map((r, i) => (
                <li key={i}>
                  {r.kind === 'renewed'
                    ? t('contract.renewedOn', { n: r.n + 1, start: formatIsoDate(r.start), end: formatIsoDate(r.end), amount: formatEuros(r.cents) })
                    : `${STATUS_LABELS.expire} — ${formatIsoDate(r.end)}`}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">{t('contract.noRenewal')}</p>
          )}
          {steps.length ? (
            <>
              <h3 className="mb-2 mt-4 text-sm font-semibold text-slate-900">{t('contract.steps')}</h3>
              <ul className="space-y-1 text-sm">
                {steps.map((s) => (
                  <li key={`${s.period_index}-${s.step}`} className={s.status === 'echec' ? 'text-red-700' : 'text-slate-700'}>
                    {STEP_LABELS[s.step] ?? s.step} :{' '}
                    {s.status === 'echec' ? t('contract.stepFailed', { attempts: s.attempts, detail: s.detail ?? '' }) : 'fait'}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Card>
        <Card title={t('contract.billingItems')} className="lg:col-span-3">
          {items.length ? (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <thead>
                  <tr className="border-b border-slate-200 text-slate-600">
                    <th scope="col" className="py-2 pr-4">
                      {t('contract.period')}
                    </th>
                    <th scope="col" className="py-2 pr-4 text-right">
                      {t('contract.amount')}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t('contract.dueDate')}
                    </th>
                    <th scope="col" className="py-2">
                      {t('contract.status')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id} className="border-b border-slate-100">
                      <td className="py-2 pr-4">
                        {formatIsoDate(i.period_start)} – {formatIsoDate(i.period_end)}
                      </td>
                      <td className="py-2 pr-4 text-right tabular-nums">{formatEuros(i.amount_cents)}</td>
                      <td className="py-2 pr-4">{formatIsoDate(i.due_date)}</td>
                      <td className="py-2">{ITEM_LABELS[i.status]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="text-sm text-slate-600">{t('contract.noBillingItems')}</p>
          )}
        </Card>
      </div>
    </>
  )
}

const STEP_LABELS: Record<string, string> = {
  j90: 'Alerte J-90',
  j60: 'Alerte J-60',
  j30: 'Alerte J-30',
  fin_periode: 'Fin de période',
  facturation: 'Facturation',
}
const ITEM_LABELS = { a_facturer: 'À facturer', facture: 'Facturé', annule: 'Annulé' } as const

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-600">{label}</dt>
      <dd className="font-medium text-slate-900">{value}</dd>
    </div>
  )
}
