import { SelectField, TextField } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { TRIGGER_KINDS, VARIABLES, type Trigger } from '../../../domain/workflows/workflow.definition'
import type { EditorChoices, Errors } from './editor-types'

// The trigger section: the kind, then the fields of that kind. Without JavaScript
// "Appliquer" redraws the section for a newly chosen kind (nothing typed elsewhere is lost:
// it is a submit of the whole form).

const small =
  'rounded-md px-2.5 py-1.5 text-xs font-semibold ring-1 ring-inset ring-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'

export function TriggerFields({
  trigger,
  errors,
  choices,
  webhook,
}: {
  trigger: Trigger
  errors: Errors
  choices: EditorChoices
  webhook: { url: string; header: string; secret: string | null } | null
}) {
  const t = useT()
  const err = (k: string) => errors[`trigger.${k}`]
  const stageOptions = (withAny: boolean) => (
    <>
      {withAny ? <option value="">{t('wf.trigger.anyStage')}</option> : null}
      {choices.stages.map((s) => (
        <option key={s.code} value={s.code}>
          {s.label}
        </option>
      ))}
    </>
  )
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start gap-3">
        <SelectField
          name="trigger[kind]"
          label={t('wf.trigger.kind')}
          defaultValue={trigger.kind}
          error={err('kind')}
          hint={t('wf.trigger.applyHint')}
          className="min-w-[18rem] flex-1"
          data-refresh=""
        >
          {TRIGGER_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`wf.trigger.${k}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" name="intent" value="refresh" className={`${small} mt-6`} data-refresh-button="">
          {t('wf.trigger.apply')}
        </button>
      </div>
      {trigger.kind === 'deal.updated' || trigger.kind === 'organisation.updated' ? (
        <fieldset aria-describedby="trigger-fields-hint">
          <legend className="text-sm font-medium text-slate-800">{t('wf.trigger.fields')}</legend>
          <p id="trigger-fields-hint" className="text-xs text-slate-600">
            {t('wf.trigger.fieldsHint')}
          </p>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {VARIABLES.filter((v) => v.updatable?.entity === (trigger.kind === 'deal.updated' ? 'deal' : 'organisation')).map((v) => (
              <label key={v.path} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  name="trigger[fields][]"
                  value={v.path}
                  defaultChecked={trigger.fields.includes(v.path)}
                  className="h-4 w-4 accent-indigo-700"
                />
                {v.label}
              </label>
            ))}
          </div>
          {err('fields') ? (
            <p id="trigger[fields]-error" className="mt-1 text-sm font-medium text-red-700">
              {err('fields')}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      {trigger.kind === 'deal.stage_changed' ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField name="trigger[from]" label={t('wf.trigger.from')} defaultValue={trigger.from ?? ''} error={err('from')}>
            {stageOptions(true)}
          </SelectField>
          <SelectField name="trigger[to]" label={t('wf.trigger.to')} defaultValue={trigger.to ?? ''} error={err('to')}>
            {stageOptions(true)}
          </SelectField>
        </div>
      ) : null}
      {trigger.kind === 'inactivity' ? (
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField name="trigger[entity]" label={t('wf.trigger.entity')} defaultValue={trigger.entity} error={err('entity')}>
            <option value="deal">{t('wf.trigger.entity.deal')}</option>
            <option value="organisation">{t('wf.trigger.entity.organisation')}</option>
          </SelectField>
          <TextField
            name="trigger[days]"
            label={t('wf.trigger.days')}
            type="number"
            min={1}
            max={3650}
            defaultValue={Number.isFinite(trigger.days) ? trigger.days : ''}
            error={err('days')}
            hint={t('wf.trigger.daysHint')}
            required
          />
          <SelectField name="trigger[stage]" label={t('wf.trigger.stage')} defaultValue={trigger.stage ?? ''} error={err('stage')}>
            {stageOptions(true)}
          </SelectField>
        </div>
      ) : null}
      {trigger.kind === 'schedule' ? (
        <TextField
          name="trigger[cron]"
          label={t('wf.trigger.cron')}
          defaultValue={trigger.cron}
          error={err('cron')}
          hint={t('wf.trigger.cronHint')}
          required
          className="max-w-md font-mono"
          placeholder="0 9 * * 1"
        />
      ) : null}
      {trigger.kind === 'webhook' && webhook ? (
        <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
          <p>
            <span className="font-medium text-slate-800">{t('wf.trigger.webhookUrl')} : </span>
            <code className="break-all">{webhook.url}</code>
          </p>
          <p className="text-slate-700">{t('wf.trigger.webhookHeader', { header: webhook.header })}</p>
          <p className="text-slate-700">{t('wf.trigger.payloadHint')}</p>
          {webhook.secret ? (
            <p role="status">
              <span className="font-medium">{t('wf.trigger.secretOnce')}</span>{' '}
              <code className="break-all rounded bg-white px-1 ring-1 ring-slate-300" data-testid="webhook-secret">
                {webhook.secret}
              </code>
            </p>
          ) : (
            <p className="text-slate-700">{t('wf.trigger.secretHidden')}</p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <button type="submit" name="intent" value="rotate_secret" className={small} aria-describedby="rotate-hint">
              {t('wf.trigger.rotate')}
            </button>
            <span id="rotate-hint" className="text-xs text-slate-600">
              {t('wf.trigger.rotateHint')}
            </span>
          </div>
        </div>
      ) : null}
    </div>
  )
}
