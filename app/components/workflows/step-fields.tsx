import type { ReactNode } from 'react'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { VARIABLES, type Recipient, type Step } from '../../../domain/workflows/workflow.definition'
import { ConditionGroupFields } from './condition-fields'
import type { EditorChoices, Errors } from './editor-types'

// The fields of one step, by type, named `<prefix>[field]` (prefix `steps[3]` in the form
// editor). The same component fills the visual editor's side panel. Selects that change
// which fields apply (recipient kind, mode) carry data-refresh: without JavaScript the
// "Appliquer" button beside them redraws the step; with it the page does it on change.

const small =
  'rounded-md px-2.5 py-1.5 text-xs font-semibold ring-1 ring-inset ring-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'

function Refresh() {
  const t = useT()
  return (
    <button type="submit" name="intent" value="refresh" className={`${small} mt-6 self-start`} data-refresh-button="">
      {t('wf.f.apply')}
    </button>
  )
}

function Row({ children }: { children: ReactNode }) {
  return <div className="flex flex-wrap items-start gap-3 [&>div]:min-w-[12rem] [&>div]:flex-1">{children}</div>
}

function RecipientFields({
  to,
  name,
  err,
  choices,
  forEmail,
}: {
  to: Recipient
  name: string
  err: (k: string) => string | undefined
  choices: EditorChoices
  forEmail: boolean
}) {
  const t = useT()
  const kinds: Recipient['kind'][] = forEmail ? ['owner', 'manager', 'contact', 'user', 'team', 'email'] : ['owner', 'manager', 'user', 'team']
  if (!kinds.includes(to.kind)) kinds.push(to.kind)
  return (
    <Row>
      <SelectField name={`${name}[kind]`} label={t('wf.f.to')} defaultValue={to.kind} error={err('to')} data-refresh="">
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(`wf.f.to.${k}`)}
          </option>
        ))}
      </SelectField>
      {to.kind === 'user' ? (
        <SelectField name={`${name}[userId]`} label={t('wf.f.user')} defaultValue={to.userId} error={err('to.userId')} required>
          <option value="">{t('wf.f.chooseUser')}</option>
          {choices.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {to.kind === 'team' ? (
        <SelectField name={`${name}[teamId]`} label={t('wf.f.team')} defaultValue={to.teamId} error={err('to.teamId')} required>
          <option value="">{t('wf.f.chooseTeam')}</option>
          {choices.teams.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {to.kind === 'email' ? (
        <TextField
          name={`${name}[address]`}
          label={t('wf.f.address')}
          hint={t('wf.f.addressHint')}
          defaultValue={to.address}
          error={err('to.address')}
          required
        />
      ) : null}
      <Refresh />
    </Row>
  )
}

export function StepFields({ step, prefix, errors, choices }: { step: Step; prefix: string; errors: Errors; choices: EditorChoices }) {
  const t = useT()
  const err = (k: string) => errors[`steps.${step.id}.${k}`]
  const n = (k: string) => `${prefix}[${k}]`
  const dateFields = choices.variables.filter((v) => v.type === 'date')
  const updatable = VARIABLES.filter((v) => v.updatable && choices.variables.some((x) => x.path === v.path))
  switch (step.type) {
    case 'send_email':
      return (
        <div className="space-y-3">
          <RecipientFields to={step.to} name={n('to')} err={err} choices={choices} forEmail />
          <TextField name={n('subject')} label={t('wf.f.subject')} defaultValue={step.subject} error={err('subject')} required />
          <TextAreaField name={n('body')} label={t('wf.f.body')} hint={t('wf.f.bodyHint')} defaultValue={step.body} error={err('body')} required rows={5} />
        </div>
      )
    case 'create_task':
      return (
        <div className="space-y-3">
          <TextField name={n('title')} label={t('wf.f.taskTitle')} defaultValue={step.title} error={err('title')} required />
          <TextAreaField name={n('description')} label={t('wf.f.taskDescription')} defaultValue={step.description} error={err('description')} />
          <Row>
            <SelectField name={n('assignee][kind')} label={t('wf.f.assignee')} defaultValue={step.assignee.kind} error={err('assignee')} data-refresh="">
              {(['owner', 'manager', 'user'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`wf.f.to.${k}`)}
                </option>
              ))}
            </SelectField>
            {step.assignee.kind === 'user' ? (
              <SelectField name={n('assignee][userId')} label={t('wf.f.user')} defaultValue={step.assignee.userId} error={err('assignee.userId')} required>
                <option value="">{t('wf.f.chooseUser')}</option>
                {choices.users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </SelectField>
            ) : null}
            <Refresh />
          </Row>
          <Row>
            <TextField
              name={n('dueInDays')}
              label={t('wf.f.dueInDays')}
              type="number"
              min={0}
              inputMode="numeric"
              defaultValue={Number.isFinite(step.dueInDays) ? step.dueInDays : ''}
              error={err('dueInDays')}
              required
            />
            <SelectField name={n('priority')} label={t('wf.f.priority')} defaultValue={step.priority}>
              {(['low', 'normal', 'high'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`wf.f.priority.${p}`)}
                </option>
              ))}
            </SelectField>
          </Row>
        </div>
      )
    case 'update_field':
      return (
        <Row>
          <SelectField name={n('field')} label={t('wf.f.field')} defaultValue={step.field} error={err('field')} required>
            <option value="">{t('wf.f.chooseField')}</option>
            {step.field && !updatable.some((v) => v.path === step.field) ? <option value={step.field}>{step.field}</option> : null}
            {updatable.map((v) => (
              <option key={v.path} value={v.path}>
                {v.label}
              </option>
            ))}
          </SelectField>
          <TextField name={n('value')} label={t('wf.f.value')} hint={t('wf.f.valueHint')} defaultValue={step.value} error={err('value')} />
        </Row>
      )
    case 'notify':
      return (
        <div className="space-y-3">
          <RecipientFields to={step.to} name={n('to')} err={err} choices={choices} forEmail={false} />
          <TextField name={n('title')} label={t('wf.f.notifTitle')} defaultValue={step.title} error={err('title')} required />
          <TextAreaField name={n('body')} label={t('wf.f.notifBody')} defaultValue={step.body} error={err('body')} />
        </div>
      )
    case 'webhook':
      return (
        <div className="space-y-3">
          <TextField name={n('url')} label={t('wf.f.url')} type="url" defaultValue={step.url} error={err('url')} required placeholder="https://" />
          <TextAreaField
            name={n('body')}
            label={t('wf.f.webhookBody')}
            hint={t('wf.f.webhookBodyHint')}
            defaultValue={step.body}
            error={err('body')}
            rows={4}
            className="font-mono"
          />
          <TextField
            name={n('timeoutMs')}
            label={t('wf.f.timeout')}
            type="number"
            min={100}
            max={30000}
            defaultValue={Number.isFinite(step.timeoutMs) ? step.timeoutMs : ''}
            error={err('timeoutMs')}
          />
        </div>
      )
    case 'assign':
      return (
        <Row>
          <SelectField name={n('mode')} label={t('wf.f.mode')} defaultValue={step.mode} error={err('mode')} data-refresh="">
            <option value="user">{t('wf.f.mode.user')}</option>
            <option value="round_robin">{t('wf.f.mode.round_robin')}</option>
          </SelectField>
          {step.mode === 'user' ? (
            <SelectField name={n('userId')} label={t('wf.f.user')} defaultValue={step.userId ?? ''} error={err('userId')} required>
              <option value="">{t('wf.f.chooseUser')}</option>
              {choices.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
          ) : (
            <SelectField name={n('teamId')} label={t('wf.f.team')} defaultValue={step.teamId ?? ''} error={err('teamId')} required>
              <option value="">{t('wf.f.chooseTeam')}</option>
              {choices.teams.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
          )}
          <Refresh />
        </Row>
      )
    case 'add_tag':
      return <TextField name={n('tag')} label={t('wf.f.tag')} hint={t('wf.f.tagHint')} defaultValue={step.tag} error={err('tag')} required />
    case 'delay':
      return (
        <Row>
          <SelectField name={n('mode')} label={t('wf.f.delayMode')} defaultValue={step.mode} data-refresh="">
            <option value="duration">{t('wf.f.delayMode.duration')}</option>
            <option value="until_field">{t('wf.f.delayMode.until_field')}</option>
          </SelectField>
          {step.mode === 'duration' ? (
            <>
              <TextField
                name={n('amount')}
                label={t('wf.f.amount')}
                type="number"
                min={1}
                defaultValue={Number.isFinite(step.amount) ? step.amount : ''}
                error={err('amount')}
                required
              />
              <SelectField name={n('unit')} label={t('wf.f.unit')} defaultValue={step.unit}>
                {(['minutes', 'hours', 'days'] as const).map((u) => (
                  <option key={u} value={u}>
                    {t(`wf.f.unit.${u}`)}
                  </option>
                ))}
              </SelectField>
            </>
          ) : (
            <>
              <SelectField name={n('field')} label={t('wf.f.dateField')} defaultValue={step.field ?? ''} error={err('field')} required>
                <option value="">{t('wf.f.chooseField')}</option>
                {dateFields.map((v) => (
                  <option key={v.path} value={v.path}>
                    {v.label}
                  </option>
                ))}
              </SelectField>
              <TextField
                name={n('offsetDays')}
                label={t('wf.f.offsetDays')}
                type="number"
                defaultValue={Number.isFinite(step.offsetDays) ? step.offsetDays : ''}
                error={err('offsetDays')}
              />
            </>
          )}
          <Refresh />
        </Row>
      )
    case 'branch':
      return <ConditionGroupFields group={step.condition} name={n('condition')} path={`steps.${step.id}.condition`} errors={errors} choices={choices} />
  }
}
