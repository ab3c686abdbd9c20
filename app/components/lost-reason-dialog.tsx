import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useT } from '~/i18n/use-t'

/** Asks why a deal was lost before the board moves it to a lost stage. */
export function LostReasonDialog({ title, onConfirm, onCancel }: { title: string; onConfirm: (reason: string) => void; onCancel: () => void }) {
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
    if (!reason.trim()) {
      setError(true)
      return
    }
    ref.current?.close()
    onConfirm(reason.trim())
  }
  return (
    <dialog
      ref={ref}
      aria-labelledby="perte-titre"
      onCancel={onCancel}
      className="w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form onSubmit={submit} className="space-y-4 p-5" noValidate>
        <h2 id="perte-titre" className="text-lg font-semibold text-slate-900">
          {t('pipeline.lostTitle')}
        </h2>
        <div>
          <label htmlFor="perte-raison" className="block text-sm font-medium text-slate-800">
            {t('pipeline.lostText', { title })}
          </label>
          <textarea
            id="perte-raison"
            rows={3}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value)
              setError(false)
            }}
            // eslint-disable-next-line jsx-a11y/no-autofocus -- the modal dialog asks for this one field; focus must land in it
            autoFocus
            aria-invalid={error || undefined}
            aria-describedby={error ? 'perte-erreur' : undefined}
            className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${error ? 'border-red-600' : 'border-slate-300'}`}
          />
          {error ? (
            <p id="perte-erreur" className="mt-1 text-sm font-medium text-red-700">
              {t('pipeline.lostReasonNeeded')}
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <button
            type="button"
            onClick={() => {
              ref.current?.close()
              onCancel()
            }}
            className="rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            {t('pipeline.lostConfirm')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
