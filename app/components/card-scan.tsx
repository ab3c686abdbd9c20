import { useEffect, useId, useState } from 'react'
import { Alert } from '~/components/ui/alert'
import { useT } from '~/i18n/use-t'
import { type BusinessCard, parseBusinessCard } from '../../domain/crm/business-card'
import { OCR_BASE, OCR_LANGS, ocrCoreFile } from './card-scan-assets'

// "Scanner une carte": a photo (the phone's back camera where there is one), read on
// the device by tesseract.js in a Web Worker — worker, core and language data from this
// app (card-scan-assets.ts), never a CDN, so it works offline once precached — then
// parsed (domain/crm/business-card.ts) into the fields the rep checks before saving.
// Shown only once JavaScript runs: without it the control could do nothing.

type Status = { kind: 'idle' } | { kind: 'reading'; percent: number } | { kind: 'read' } | { kind: 'nothing' } | { kind: 'failed' }

/** The card as contact form values (emails and phones one per line, as the form posts them). */
export function cardToContactValues(card: BusinessCard): Record<string, string> {
  return {
    first_name: card.firstName,
    last_name: card.lastName,
    job_title: card.jobTitle,
    emails: card.emails.join('\n'),
    phones: card.phones.map((p) => p.number).join('\n'),
  }
}

async function readCard(file: File, onProgress: (percent: number) => void): Promise<string> {
  const { createWorker, OEM } = await import('tesseract.js')
  const origin = window.location.origin
  const worker = await createWorker([...OCR_LANGS], OEM.LSTM_ONLY, {
    workerPath: `${origin}${OCR_BASE}/worker.min.js`,
    corePath: `${origin}${OCR_BASE}/${ocrCoreFile()}`,
    langPath: `${origin}${OCR_BASE}`,
    // A worker from our own URL (no blob: copy), data kept by the service worker's cache only.
    workerBlobURL: false,
    cacheMethod: 'none',
    logger: (m: { status: string; progress: number }) => {
      if (m.status === 'recognizing text') onProgress(Math.round(m.progress * 100))
    },
  })
  try {
    return (await worker.recognize(file)).data.text
  } finally {
    await worker.terminate()
  }
}

export function CardScan({ onRead }: { onRead: (card: BusinessCard) => void }) {
  const t = useT()
  const id = useId()
  const [hydrated, setHydrated] = useState(false)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  useEffect(() => setHydrated(true), [])
  if (!hydrated) return null

  async function onFile(file: File | undefined) {
    if (!file) return
    setStatus({ kind: 'reading', percent: 0 })
    try {
      const text = await readCard(file, (percent) => setStatus({ kind: 'reading', percent }))
      const card = parseBusinessCard(text)
      const found = card.firstName || card.lastName || card.company || card.emails.length || card.phones.length
      if (!found) return setStatus({ kind: 'nothing' })
      onRead(card)
      setStatus({ kind: 'read' })
    } catch {
      setStatus({ kind: 'failed' })
    }
  }

  return (
    <div className="mb-6 rounded-md border border-dashed border-slate-300 bg-slate-50 p-4">
      <label
        htmlFor={id}
        className="inline-flex min-h-12 cursor-pointer items-center gap-2 rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-100 has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600"
      >
        {t('card.scan')}
        <input
          id={id}
          type="file"
          accept="image/*"
          capture="environment"
          className="sr-only"
          aria-describedby={`${id}-help`}
          disabled={status.kind === 'reading'}
          onChange={(e) => {
            void onFile(e.currentTarget.files?.[0])
            e.currentTarget.value = ''
          }}
        />
      </label>
      <p id={`${id}-help`} className="mt-2 text-xs text-slate-600">
        {t('card.scanHelp')}
      </p>
      <div className="mt-2" aria-live="polite">
        {status.kind === 'reading' ? <p className="text-sm text-slate-800">{t('card.reading', { percent: status.percent })}</p> : null}
      </div>
      {status.kind === 'read' ? <Alert tone="success">{t('card.read')}</Alert> : null}
      {status.kind === 'nothing' ? <Alert tone="warning">{t('card.nothing')}</Alert> : null}
      {status.kind === 'failed' ? <Alert tone="error">{t('card.failed')}</Alert> : null}
    </div>
  )
}

/** What the card says that the contact form has no field for: shown for the rep to use. */
export function CardExtras({ card }: { card: BusinessCard }) {
  const t = useT()
  const lines = [
    card.company ? t('card.company', { name: card.company }) : null,
    card.siren ? t('card.siren', { siren: card.siren }) : null,
    card.website ? t('card.website', { url: card.website }) : null,
  ].filter(Boolean)
  if (!lines.length) return null
  return (
    <ul className="mb-4 list-inside list-disc text-sm text-slate-800" data-testid="card-extras">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  )
}
