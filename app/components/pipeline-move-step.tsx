import { Form, Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import type { FormFailure } from '~/utils/forms.server'
import { AuthenticityTokenInput } from './authenticity-token-input'
import type { BoardStage } from './pipeline-board.types'
import { Alert } from './ui/alert'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

// The board's move step without JavaScript: the card's "Déplacer" link opens it above the
// board (one form on the page instead of one per card). A move into a won stage shows a
// confirmation screen first; a move out of one asks why.

type MovingDeal = { id: string; title: string; stage: string; version: number; signed_quote: boolean; commandId: string }

const field = 'mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
const primary =
  'rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'
const secondary =
  'rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'

export function MoveStep({
  deal,
  stages,
  boardHref,
  failure,
  confirm,
}: {
  deal: MovingDeal
  stages: BoardStage[]
  /** The board with its filters and grown columns: where "Annuler" goes and the post comes back to. */
  boardHref: string
  failure?: FormFailure
  confirm?: { stage: string; values: Record<string, string> }
}) {
  const t = useT()
  const label = (code: string) => stages.find((s) => s.code === code)?.label ?? code
  const current = stages.find((s) => s.code === deal.stage)
  const leavingWon = current?.kind === 'won'
  const action = `${boardHref}${boardHref.includes('?') ? '&' : '?'}deplacer=${deal.id}`
  const values = failure?.values ?? {}
  const err = (name: string) => failure?.errors[name]
  return (
    <section id="deplacer" aria-labelledby="deplacer-titre" className="mb-4 scroll-mt-20 rounded-lg border border-indigo-200 bg-white p-4 shadow-sm">
      <h2 id="deplacer-titre" className="text-base font-semibold text-slate-900">
        {confirm ? t(leavingWon ? 'pipeline.reopenTitle' : 'pipeline.wonTitle') : t('pipeline.moveTitle', { title: deal.title })}
      </h2>
      <Form method="post" action={action} className="mt-3 space-y-3" noValidate>
        <AuthenticityTokenInput />
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="dealId" value={deal.id} />
        <input type="hidden" name="version" value={deal.version} />
        <input type="hidden" name="commandId" value={deal.commandId} />
        {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
        {confirm ? (
          <>
            <input type="hidden" name="stage" value={confirm.stage} />
            <input type="hidden" name="confirm" value="1" />
            {['lost_reason', 'reopen_reason'].map((k) => (confirm.values[k] ? <input key={k} type="hidden" name={k} value={confirm.values[k]} /> : null))}
            <p className="text-sm text-slate-800">{t('pipeline.wonText', { title: deal.title, stage: label(confirm.stage) })}</p>
            {deal.signed_quote ? <p className="text-sm font-medium text-slate-800">{t('pipeline.signedQuoteIn')}</p> : null}
            <div className="flex flex-wrap gap-2">
              <button type="submit" className={primary}>
                {t('pipeline.wonConfirm', { stage: label(confirm.stage) })}
              </button>
              <Link to={`${boardHref}#carte-${deal.id}`} className={secondary}>
                {t('pipeline.moveCancel')}
              </Link>
            </div>
          </>
        ) : (
          <>
            <p className="text-sm text-slate-600">{t('pipeline.moveFrom', { stage: label(deal.stage) })}</p>
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <label htmlFor="deplacer-etape" className="block text-sm font-medium text-slate-800">
                  {t('pipeline.moveTo')}
                </label>
                <select
                  id="deplacer-etape"
                  name="stage"
                  defaultValue={values.stage ?? stages.find((s) => s.code !== deal.stage)?.code}
                  className={`${field} border-slate-300`}
                >
                  {stages
                    .filter((s) => s.code !== deal.stage)
                    .map((s) => (
                      <option key={s.code} value={s.code}>
                        {s.label}
                      </option>
                    ))}
                </select>
              </div>
              <div>
                <label htmlFor="deplacer-perte" className="block text-sm font-medium text-slate-800">
                  {t('deal.lostReason')}
                </label>
                <input
                  id="deplacer-perte"
                  name="lost_reason"
                  maxLength={TEXT_LIMITS.reason}
                  defaultValue={values.lost_reason ?? ''}
                  aria-describedby={err('lost_reason') ? 'deplacer-perte-erreur' : 'deplacer-perte-aide'}
                  aria-invalid={err('lost_reason') ? true : undefined}
                  className={`${field} ${err('lost_reason') ? 'border-red-600' : 'border-slate-300'}`}
                />
                {err('lost_reason') ? (
                  <p id="deplacer-perte-erreur" className="mt-1 text-sm font-medium text-red-700">
                    {err('lost_reason')}
                  </p>
                ) : (
                  <p id="deplacer-perte-aide" className="mt-1 text-xs text-slate-600">
                    {t('deal.lostReasonHint')}
                  </p>
                )}
              </div>
            </div>
            {leavingWon ? (
              <div>
                {deal.signed_quote ? (
                  <div className="mb-2">
                    <Alert tone="warning">{t('pipeline.signedQuoteOut')}</Alert>
                  </div>
                ) : null}
                <label htmlFor="deplacer-reouverture" className="block text-sm font-medium text-slate-800">
                  {t('pipeline.reopenReason', { stage: label(deal.stage) })}
                </label>
                <textarea
                  id="deplacer-reouverture"
                  name="reopen_reason"
                  maxLength={TEXT_LIMITS.reason}
                  rows={2}
                  defaultValue={values.reopen_reason ?? ''}
                  aria-describedby={err('reopen_reason') ? 'deplacer-reouverture-erreur' : 'deplacer-reouverture-aide'}
                  aria-invalid={err('reopen_reason') ? true : undefined}
                  className={`${field} ${err('reopen_reason') ? 'border-red-600' : 'border-slate-300'}`}
                />
                {err('reopen_reason') ? (
                  <p id="deplacer-reouverture-erreur" className="mt-1 text-sm font-medium text-red-700">
                    {err('reopen_reason')}
                  </p>
                ) : (
                  <p id="deplacer-reouverture-aide" className="mt-1 text-xs text-slate-600">
                    {t('pipeline.reopenHint')}
                  </p>
                )}
              </div>
            ) : null}
            <div className="flex flex-wrap gap-2">
              <button type="submit" className={primary}>
                {t('pipeline.moveSubmit')}
              </button>
              <Link to={`${boardHref}#carte-${deal.id}`} className={secondary}>
                {t('pipeline.moveCancel')}
              </Link>
            </div>
          </>
        )}
      </Form>
    </section>
  )
}
