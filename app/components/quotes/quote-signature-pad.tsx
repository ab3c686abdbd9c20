import { useEffect, useRef, useState } from 'react'
import { useT } from '~/i18n/use-t'

// The drawn signature (JavaScript only): a canvas driven by signature_pad, whose PNG
// goes into a hidden field of the signing form. Without JavaScript this renders nothing
// and the typed name plus the acceptance box sign. Drawing is optional with JavaScript
// too, so a keyboard-only signer still has a path.

export function QuoteSignaturePad({ name = 'signature' }: { name?: string }) {
  const t = useT()
  const canvas = useRef<HTMLCanvasElement>(null)
  const pad = useRef<{ clear(): void; isEmpty(): boolean; toDataURL(type?: string): string; off(): void } | null>(null)
  const [value, setValue] = useState('')
  const [ready, setReady] = useState(false)

  useEffect(() => {
    let cancelled = false
    const el = canvas.current
    if (!el) return
    import('signature_pad').then(({ default: SignaturePad }) => {
      if (cancelled) return
      // Sharp on high-density screens: the bitmap is scaled to the device pixels.
      const ratio = Math.max(window.devicePixelRatio || 1, 1)
      el.width = el.offsetWidth * ratio
      el.height = el.offsetHeight * ratio
      el.getContext('2d')!.scale(ratio, ratio)
      const p = new SignaturePad(el, { penColor: '#0f172a', backgroundColor: 'rgb(255,255,255)', minWidth: 0.8, maxWidth: 2.4 })
      p.addEventListener('endStroke', () => setValue(p.isEmpty() ? '' : p.toDataURL('image/png')))
      pad.current = p
      setReady(true)
    })
    return () => {
      cancelled = true
      pad.current?.off()
    }
  }, [])

  return (
    <div className="js-only">
      <p id="signature-label" className="block text-sm font-medium text-slate-800">
        {t('qsign.draw')}
      </p>
      <p id="signature-hint" className="text-xs text-slate-600">
        {t('qsign.drawHint')}
      </p>
      <canvas
        ref={canvas}
        role="img"
        aria-labelledby="signature-label"
        aria-describedby="signature-hint"
        data-testid="signature-canvas"
        data-ready={ready ? '1' : undefined}
        className="mt-2 h-40 w-full max-w-lg touch-none rounded-md border-2 border-dashed border-slate-400 bg-white"
      />
      <input type="hidden" name={name} value={value} />
      <div className="mt-2 flex items-center gap-3 text-sm">
        <button
          type="button"
          onClick={() => {
            pad.current?.clear()
            setValue('')
          }}
          className="rounded-md px-3 py-1.5 font-semibold text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          {t('qsign.clear')}
        </button>
        <span aria-live="polite" className="text-slate-700">
          {value ? t('qsign.drawn') : ''}
        </span>
      </div>
    </div>
  )
}
