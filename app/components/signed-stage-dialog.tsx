import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useT } from '~/i18n/use-t'

/**
 * Asks before the board moves a deal into a won stage (a confirmation), or out of one
 * (why: the reason is recorded on the stage change and shown in the deal's history).
 * Either way it says so when a signed quote is attached.
 */
export function SignedStageDialog({
  kind,
  title,
  from,
  to,
  signedQuote,
  onConfirm,
  onCancel,
}: {
  kind: 'won' | 'reopen'
  title: string
  from: string
  to: string
  signedQuote: boolean
  onConfirm: (reason: string) => void
  onCancel: () => void
}) {
  const t = useT()
  const ref = useRef<HTMLDialogElement>(null)
  const [reason, setReason] = useState('')
  const [error, setError] = useState(false)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  function submit(e: FormEvent) {
    e.preventDefault()
    if (kind === 'reopen' && !reason.trim()) {
      setError(true)
      return
    }
    ref.current?.close()
    onConfirm(reason.trim())
  }
  const button =
    'rounded-md px-4 py-2 text-sm font-semibold shadow-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'
  return (
    <dialog
      ref={ref}
      aria-labelledby="signe-titre"
      aria-describedby="signe-texte"
      onCancel={onCancel}
      className="w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form onSubmit={submit} className="space-y-4 p-5" noValidate>
        <h2 id="signe-titre" className="text-lg font-semibold text-slate-900">
          {t(kind === 'won' ? 'pipeline.wonTitle' : 'pipeline.reopenTitle')}
        </h2>
        <div id="signe-texte" className="space-y-2 text-sm text-slate-800">
          <p>{kind === 'won' ? t('pipeline.wonText', { title, stage: to }) : t('pipeline.reopenText', { title, stage: from, to })}</p>
          {signedQuote ? (
            <p className="rounded-md bg-amber-50 px-3 py-2 font-medium text-amber-900 ring-1 ring-inset ring-amber-200">
              {t(kind === 'won' ? 'pipeline.signedQuoteIn' : 'pipeline.signedQuoteOut')}
            </p>
          ) : null}
        </div>
        {kind === 'reopen' ? (
          <div>
            <label htmlFor="signe-raison" className="block text-sm font-medium text-slate-800">
              {t('pipeline.reopenReason', { stage: from })}
            </label>
            <textarea
              id="signe-raison"
              rows={3}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value)
                setError(false)
              }}
              // eslint-disable-next-line jsx-a11y/no-autofocus -- the modal dialog asks for this one field; focus must land in it
              autoFocus
              aria-invalid={error || undefined}
              aria-describedby={error ? 'signe-erreur' : 'signe-aide'}
              className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${error ? 'border-red-600' : 'border-slate-300'}`}
            />
            {error ? (
              <p id="signe-erreur" className="mt-1 text-sm font-medium text-red-700">
                {t('pipeline.reopenReasonNeeded')}
              </p>
            ) : (
              <p id="signe-aide" className="mt-1 text-xs text-slate-600">
                {t('pipeline.reopenHint')}
              </p>
            )}
          </div>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <button
            type="button"
            onClick={() => {
              ref.current?.close()
              onCancel()
            }}
            className={`${button} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`}
          >
            {t('common.cancel')}
          </button>
          <button type="submit" className={`${button} bg-indigo-700 text-white hover:bg-indigo-800`}>
            {kind === 'won' ? t('pipeline.wonConfirm', { stage: to }) : t('pipeline.reopenConfirm')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
