import { useFetcher } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import type { FormFailure } from '~/utils/forms.server'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { Alert } from './ui/alert'
import { Button } from './ui/button'
import { TextAreaField, TextField } from './ui/field'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

export const ACTIVITY_KIND_CODES = ['call', 'meeting', 'email', 'note'] as const

export type ActivityLinks = { organisation_id?: string | null; contact_id?: string | null; deal_id?: string | null }

type Props = {
  links: ActivityLinks
  /** Where to come back after saving: the record page (a same-site path). */
  redirectTo: string
  commandId: string
  /** "2026-11-27T14:05", now in Paris, computed by the loader. */
  defaultOccurredAt: string
  /** A failed submission rendered by /activities itself (JavaScript off). */
  failed?: FormFailure
}

/**
 * Logs an activity on a record. Posts to /activities: with JavaScript through a fetcher
 * (errors come back here, success redirects to the record), without it as a plain form
 * (errors re-render on /activities, success redirects the same way).
 */
export function LogActivityForm({ links, redirectTo, commandId, defaultOccurredAt, failed }: Props) {
  const t = useT()
  const fetcher = useFetcher<FormFailure>()
  const failure = (fetcher.data && fetcher.data.ok === false ? fetcher.data : undefined) ?? failed
  const errors = failure?.errors ?? {}
  const v = (k: string, fallback = '') => failure?.values[k] ?? fallback
  const busy = fetcher.state !== 'idle'
  return (
    <fetcher.Form method="post" action="/activities" noValidate className="space-y-4" aria-label={t('activity.log')}>
      <AuthenticityTokenInput />
      <input type="hidden" name="commandId" value={commandId} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {links.organisation_id ? <input type="hidden" name="organisation_id" value={links.organisation_id} /> : null}
      {links.contact_id ? <input type="hidden" name="contact_id" value={links.contact_id} /> : null}
      {links.deal_id ? <input type="hidden" name="deal_id" value={links.deal_id} /> : null}
      {failure ? <Alert tone="error">{failure.formError ?? t('errors.formSummary')}</Alert> : null}

      <fieldset aria-describedby={errors.kind ? 'kind-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">{t('activity.kind')}</legend>
        <div className="mt-1 flex flex-wrap gap-2">
          {ACTIVITY_KIND_CODES.map((k) => (
            <div key={k}>
              <input type="radio" id={`f-kind-${k}`} name="kind" value={k} defaultChecked={v('kind', 'call') === k} className="peer sr-only" />
              <label
                htmlFor={`f-kind-${k}`}
                className="inline-flex cursor-pointer items-center rounded-full bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 peer-checked:bg-indigo-700 peer-checked:text-white peer-checked:ring-indigo-700 peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600"
              >
                {t(`activity.kind.${k}`)}
              </label>
            </div>
          ))}
        </div>
        {errors.kind ? (
          <p id="kind-error" className="mt-1 text-sm font-medium text-red-700">
            {errors.kind}
          </p>
        ) : null}
      </fieldset>

      <TextField
        name="subject"
        maxLength={TEXT_LIMITS.subject}
        label={t('activity.subject')}
        required
        defaultValue={v('subject')}
        error={errors.subject}
        hint={t('activity.subjectHint')}
        autoComplete="off"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="occurred_at"
          type="datetime-local"
          label={t('activity.occurredAt')}
          required
          defaultValue={v('occurred_at', defaultOccurredAt)}
          error={errors.occurred_at}
          hint={t('activity.occurredAtHint')}
        />
        <TextField
          name="duration_minutes"
          label={t('activity.duration')}
          defaultValue={v('duration_minutes')}
          error={errors.duration_minutes}
          hint={t('activity.durationHint')}
          inputMode="numeric"
          autoComplete="off"
        />
      </div>
      <TextAreaField name="body" maxLength={TEXT_LIMITS.body} label={t('activity.body')} defaultValue={v('body')} error={errors.body} rows={4} />
      <Button disabled={busy}>{t('activity.save')}</Button>
    </fetcher.Form>
  )
}
