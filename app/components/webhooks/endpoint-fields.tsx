import { CheckboxField } from '~/components/ui/checkbox-field'
import { TextField } from '~/components/ui/field'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { WEBHOOK_EVENT_TYPES } from '../../../domain/webhooks/event-types'

// The fields of an endpoint, for adding one and for its settings: address, description,
// event types (one box each, in a labelled group) and, on a self-hosted install, the
// private-network switch.

export type EndpointValues = { url: string; description: string; eventTypes: string[]; allowPrivateNetwork: boolean }

export function EndpointFields({ values, errors, privateSwitch }: { values: EndpointValues; errors: Record<string, string>; privateSwitch: boolean }) {
  const t = useT()
  return (
    <div className="space-y-4">
      <TextField name="url" label={t('webhooks.url')} hint={t('webhooks.urlHint')} type="url" required defaultValue={values.url} error={errors.url} />
      <TextField
        name="description"
        label={t('webhooks.description')}
        hint={t('webhooks.descriptionHint')}
        defaultValue={values.description}
        error={errors.description}
        maxLength={200}
      />
      <fieldset aria-describedby={errors.event_types ? 'event_types-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">{t('webhooks.events')}</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                name="event_types"
                value={type}
                defaultChecked={values.eventTypes.includes(type)}
                className="h-5 w-5 rounded border-slate-400 accent-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              />
              <span>
                {t(`webhooks.eventType.${type}` as MessageKey)} <code className="text-xs text-slate-600">{type}</code>
              </span>
            </label>
          ))}
        </div>
        {errors.event_types ? (
          <p id="event_types-error" className="mt-1 text-sm font-medium text-red-700">
            {errors.event_types}
          </p>
        ) : null}
      </fieldset>
      {privateSwitch ? (
        <CheckboxField
          name="allow_private_network"
          label={t('webhooks.private')}
          hint={t('webhooks.privateHint')}
          defaultChecked={values.allowPrivateNetwork}
        />
      ) : null}
    </div>
  )
}
