import { useEffect, useId, useState } from 'react'
import { Button } from '~/components/ui/button'
import { useT } from '~/i18n/use-t'

// "Partager" on a contact (its vCard as a file, else its link) or a deal (its link),
// through the phone's share sheet (Web Share API). Where the browser has none, "Copier le
// lien" copies it; where copying is refused, the link is shown selected to copy by hand.
// Without JavaScript: the vCard download link and the link in a read-only field.

type Props = { title: string; path: string; vcard?: { path: string; fileName: string } }

export function ShareButton({ title, path, vcard }: Props) {
  const t = useT()
  const id = useId()
  const [hydrated, setHydrated] = useState(false)
  const [canShare, setCanShare] = useState(false)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    setHydrated(true)
    setCanShare(typeof navigator.share === 'function')
  }, [])
  const url = hydrated ? new URL(path, window.location.origin).href : path

  async function share() {
    try {
      if (vcard) {
        const res = await fetch(vcard.path, { credentials: 'same-origin' })
        const file = new File([await res.blob()], vcard.fileName, { type: 'text/vcard' })
        if (navigator.canShare?.({ files: [file] })) return await navigator.share({ title, files: [file] })
      }
      await navigator.share({ title, url })
    } catch {
      // Dismissed by the person (AbortError) or refused: nothing to say.
    }
  }

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(url)
      setCopy('copied')
    } catch {
      setCopy('failed')
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      {hydrated ? (
        canShare ? (
          <Button type="button" variant="secondary" onClick={() => void share()}>
            {t('share.button')}
          </Button>
        ) : (
          <Button type="button" variant="secondary" onClick={() => void copyLink()}>
            {t('share.copy')}
          </Button>
        )
      ) : null}
      {vcard ? (
        <a href={vcard.path} download={vcard.fileName} className="text-sm font-medium text-indigo-700 underline hover:text-indigo-900">
          {t('share.vcard')}
        </a>
      ) : null}
      <span role="status" className="text-sm text-green-800">
        {copy === 'copied' ? t('share.copied') : ''}
      </span>
      {!hydrated || copy === 'failed' ? (
        <div className="w-full">
          {copy === 'failed' ? <p className="text-sm text-red-800">{t('share.copyFailed')}</p> : null}
          <label htmlFor={id} className="sr-only">
            {t('share.link')}
          </label>
          <input
            id={id}
            readOnly
            value={url}
            onFocus={(e) => e.currentTarget.select()}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1 text-sm text-slate-800"
          />
        </div>
      ) : null}
    </div>
  )
}
