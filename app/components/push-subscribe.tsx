import { useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useCsrf } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'

// "Activer sur cet appareil": asks the browser's permission, subscribes through the
// service worker's PushManager with our VAPID public key, and posts the subscription to
// /settings/push. Needs JavaScript by nature (the Push API has no form equivalent); the
// page says so in <noscript>.

type State = 'idle' | 'asking' | 'enabled' | 'disabled' | 'denied' | 'failed' | 'unsupported'

const MESSAGE: Partial<Record<State, MessageKey>> = {
  asking: 'push.asking',
  enabled: 'push.enabled',
  disabled: 'push.disabled',
  denied: 'push.denied',
  failed: 'push.failed',
  unsupported: 'push.unsupported',
}

const supported = () => typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window

/** A short name for this browser in the devices list ("Chrome sur Android"). */
function deviceLabel(): string {
  const ua = navigator.userAgent
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iPhone'
      : /Mac OS X/.test(ua)
        ? 'Mac'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'appareil'
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Navigateur'
  return `${browser} sur ${os}`
}

export function PushSubscribe({ publicKey }: { publicKey: string }) {
  const t = useT()
  const csrf = useCsrf()
  const fetcher = useFetcher()
  const [state, setState] = useState<State>('idle')
  const [subscribed, setSubscribed] = useState(false)

  useEffect(() => {
    if (!supported()) return setState('unsupported')
    void navigator.serviceWorker.ready.then(async (reg) => setSubscribed(!!(await reg.pushManager.getSubscription()))).catch(() => undefined)
  }, [])

  async function enable() {
    if (!supported()) return setState('unsupported')
    setState('asking')
    const permission = await Notification.requestPermission()
    if (permission !== 'granted') return setState('denied')
    try {
      const reg = await navigator.serviceWorker.ready
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }) // base64url, as the Push API accepts
      fetcher.submit({ csrf, intent: 'subscribe', subscription: JSON.stringify(sub.toJSON()), label: deviceLabel() }, { method: 'post' })
      setSubscribed(true)
      setState('enabled')
    } catch {
      setState('failed')
    }
  }

  async function disable() {
    const reg = await navigator.serviceWorker.ready
    const sub = await reg.pushManager.getSubscription()
    if (sub) {
      fetcher.submit({ csrf, intent: 'unsubscribe', endpoint: sub.endpoint }, { method: 'post' })
      await sub.unsubscribe().catch(() => undefined)
    }
    setSubscribed(false)
    setState('disabled')
  }

  const message = MESSAGE[state]
  const tone = state === 'enabled' || state === 'disabled' ? 'success' : state === 'asking' ? 'info' : 'error'
  return (
    <div>
      <noscript>
        <p className="text-sm text-slate-700">{t('push.needsJs')}</p>
      </noscript>
      <div className="flex flex-wrap gap-3">
        {subscribed ? (
          <Button type="button" variant="secondary" onClick={() => void disable()}>
            {t('push.disableHere')}
          </Button>
        ) : (
          <Button type="button" onClick={() => void enable()} disabled={state === 'asking' || state === 'unsupported'}>
            {t('push.enable')}
          </Button>
        )}
      </div>
      <div className="mt-3">{message ? <Alert tone={tone}>{t(message)}</Alert> : null}</div>
    </div>
  )
}
