import { useFetcher, useSearchParams } from '@remix-run/react'
import { useRef } from 'react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { formatDateTime } from '~/utils/format'

// "Je suis arrivé" on a meeting: asks the phone for its position (Geolocation API), then
// posts it with its accuracy — or why there is none (refused, no fix, too slow) — to
// /activities/:id/check-in. The time is recorded either way. Without JavaScript the
// same form posts without a position.

type Status = 'ok' | 'denied' | 'unavailable' | 'timeout' | 'unsupported'
type Result = { at: string; status: Status; accuracyM: number | null }
export type CheckInRow = { id: string; name: string; at: string; status: string; latitude: number | null; longitude: number | null; accuracyM: number | null }

const FAILURE: Record<Exclude<Status, 'ok'>, MessageKey> = {
  denied: 'checkin.denied',
  unavailable: 'checkin.unavailable',
  timeout: 'checkin.timeout',
  unsupported: 'checkin.unsupported',
}

const timeOf = (iso: string) => formatDateTime(iso).slice(-5)

export function CheckIn({ activityId, checkIns }: { activityId: string; checkIns: CheckInRow[] }) {
  const t = useT()
  const fetcher = useFetcher<Result>()
  const [params] = useSearchParams()
  const form = useRef<HTMLFormElement>(null)
  const locating = useRef(false)
  const busy = fetcher.state !== 'idle'

  function post(fields: Record<string, string>) {
    const data = new FormData(form.current!)
    for (const [k, v] of Object.entries(fields)) data.set(k, v)
    data.set('js', '1')
    fetcher.submit(data, { method: 'post', action: `/activities/${activityId}/check-in` })
  }

  function onSubmit(e: React.FormEvent) {
    e.preventDefault()
    if (locating.current || busy) return
    if (!('geolocation' in navigator)) return post({ position_status: 'unsupported' })
    locating.current = true
    navigator.geolocation.getCurrentPosition(
      (p) => {
        locating.current = false
        post({ position_status: 'ok', latitude: String(p.coords.latitude), longitude: String(p.coords.longitude), accuracy: String(p.coords.accuracy) })
      },
      (err) => {
        locating.current = false
        post({ position_status: err.code === err.PERMISSION_DENIED ? 'denied' : err.code === err.TIMEOUT ? 'timeout' : 'unavailable' })
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    )
  }

  const result = fetcher.data
  const noJsStatus = params.get('arrivee') as Status | null
  const latest = checkIns[0]
  return (
    <div className="space-y-3">
      <form ref={form} method="post" action={`/activities/${activityId}/check-in`} onSubmit={onSubmit}>
        <AuthenticityTokenInput />
        <input type="hidden" name="position_status" value="unsupported" />
        <Button className="min-h-12" disabled={busy}>
          {t('checkin.button')}
        </Button>
      </form>
      <div aria-live="polite">{busy ? <p className="text-sm text-slate-700">{t('checkin.locating')}</p> : null}</div>
      {result ? (
        result.status === 'ok' ? (
          <Alert tone="success">{t('checkin.doneAt', { time: timeOf(result.at), accuracy: result.accuracyM ?? 0 })}</Alert>
        ) : (
          <Alert tone="warning">
            {t('checkin.done', { time: timeOf(result.at) })} {t(FAILURE[result.status])}
          </Alert>
        )
      ) : noJsStatus && latest ? (
        <Alert tone={noJsStatus === 'ok' ? 'success' : 'warning'}>
          {t('checkin.done', { time: timeOf(latest.at) })} {noJsStatus !== 'ok' && noJsStatus in FAILURE ? t(FAILURE[noJsStatus]) : null}
        </Alert>
      ) : null}
      {checkIns.length ? (
        <div>
          <h3 className="text-sm font-semibold text-slate-900">{t('checkin.list')}</h3>
          <ul className="mt-1 space-y-1 text-sm text-slate-800">
            {checkIns.map((c) => (
              <li key={c.id}>
                {c.accuracyM !== null
                  ? t('checkin.itemAt', { name: c.name, time: formatDateTime(c.at), accuracy: c.accuracyM })
                  : t('checkin.item', { name: c.name, time: formatDateTime(c.at) })}
                {c.latitude !== null && c.longitude !== null ? (
                  <>
                    {' '}
                    <a
                      className="text-indigo-700 underline"
                      href={`https://www.openstreetmap.org/?mlat=${c.latitude}&mlon=${c.longitude}#map=17/${c.latitude}/${c.longitude}`}
                      rel="noreferrer noopener"
                      target="_blank"
                    >
                      {t('checkin.map')}
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  )
}
