import { useT } from '~/i18n/use-t'
import { CONDITION_OPS, isGroup, type Condition, type ConditionGroup } from '../../../domain/workflows/workflow.definition'
import type { EditorChoices, Errors } from './editor-types'

// AND/OR groups of rules as plain form fields. Each button is a named submit
// (`intent=cond_add:<path>`…) so it works without JavaScript; `path` names the group
// the way validation keys its errors ('conditions.1', 'steps.si-1.condition').

const control = 'block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-indigo-600'
const small =
  'rounded-md px-2.5 py-1.5 text-xs font-semibold ring-1 ring-inset ring-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'

const idOf = (name: string) => `f-${name}`

export function ConditionGroupFields({
  group,
  name,
  path,
  errors,
  choices,
  depth = 0,
  onRemove,
}: {
  group: ConditionGroup
  name: string
  path: string
  errors: Errors
  choices: EditorChoices
  depth?: number
  /** The button that removes this group from its parent (nested groups). */
  onRemove?: { intent: string }
}) {
  const t = useT()
  return (
    <fieldset className={`space-y-3 rounded-md border border-slate-200 p-3 ${depth ? 'bg-slate-50' : ''}`}>
      <legend className="px-1 text-sm font-medium text-slate-800">{depth ? t('wf.cond.group') : t('wf.f.condition')}</legend>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={idOf(`${name}[combinator]`)} className="block text-xs font-medium text-slate-700">
            {t('wf.cond.combinator')}
          </label>
          <select id={idOf(`${name}[combinator]`)} name={`${name}[combinator]`} defaultValue={group.combinator} className={control}>
            <option value="and">{t('wf.cond.and')}</option>
            <option value="or">{t('wf.cond.or')}</option>
          </select>
        </div>
        {onRemove ? (
          <button type="submit" name="intent" value={onRemove.intent} className={small}>
            {t('wf.cond.removeGroup')}
          </button>
        ) : null}
      </div>
      <ol className="space-y-3">
        {group.rules.map((r, i) => (
          <li key={i}>
            {isGroup(r) ? (
              <ConditionGroupFields
                group={r}
                name={`${name}[rules][${i}]`}
                path={`${path}.${i}`}
                errors={errors}
                choices={choices}
                depth={depth + 1}
                onRemove={{ intent: `cond_remove:${path}.${i}` }}
              />
            ) : (
              <RuleFields
                rule={r}
                n={i + 1}
                name={`${name}[rules][${i}]`}
                errorKey={`${path}.${i}`}
                errors={errors}
                choices={choices}
                removeIntent={`cond_remove:${path}.${i}`}
              />
            )}
          </li>
        ))}
      </ol>
      {errors[`${path}.0.field`] && !group.rules.length ? (
        <p className="text-sm font-medium text-red-700" id={`${name}-error`}>
          {errors[`${path}.0.field`]}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value={`cond_add:${path}`} className={small}>
          {t('wf.cond.add')}
        </button>
        {depth < 2 ? (
          <button type="submit" name="intent" value={`cond_group:${path}`} className={small}>
            {t('wf.cond.addGroup')}
          </button>
        ) : null}
      </div>
    </fieldset>
  )
}

function RuleFields({
  rule,
  n,
  name,
  errorKey,
  errors,
  choices,
  removeIntent,
}: {
  rule: Condition
  n: number
  name: string
  errorKey: string
  errors: Errors
  choices: EditorChoices
  removeIntent: string
}) {
  const t = useT()
  const fieldError = errors[`${errorKey}.field`]
  const valueError = errors[`${errorKey}.value`]
  const known = choices.variables.some((v) => v.path === rule.field)
  const listId = `${idOf(name)}-vars`
  return (
    <div
      role="group"
      aria-label={t('wf.cond.rule', { n })}
      className="grid gap-2 sm:grid-cols-[minmax(0,2fr)_minmax(0,1.3fr)_minmax(0,2fr)_auto] sm:items-start"
    >
      <div>
        <label htmlFor={idOf(`${name}[field]`)} className="block text-xs font-medium text-slate-700">
          {t('wf.cond.field')}
        </label>
        {choices.freeFields ? (
          <>
            <input
              id={idOf(`${name}[field]`)}
              name={`${name}[field]`}
              defaultValue={rule.field}
              list={listId}
              className={control}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${name}[field]-error` : undefined}
              placeholder="webhook.…"
            />
            <datalist id={listId}>
              {choices.variables.map((v) => (
                <option key={v.path} value={v.path}>
                  {v.label}
                </option>
              ))}
            </datalist>
          </>
        ) : (
          <select
            id={idOf(`${name}[field]`)}
            name={`${name}[field]`}
            defaultValue={rule.field}
            className={control}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${name}[field]-error` : undefined}
          >
            <option value="">{t('wf.cond.choose')}</option>
            {!known && rule.field ? <option value={rule.field}>{rule.field}</option> : null}
            {choices.variables.map((v) => (
              <option key={v.path} value={v.path}>
                {v.label}
              </option>
            ))}
          </select>
        )}
        {fieldError ? (
          <p id={`${name}[field]-error`} className="mt-1 text-sm font-medium text-red-700">
            {fieldError}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor={idOf(`${name}[op]`)} className="block text-xs font-medium text-slate-700">
          {t('wf.cond.op')}
        </label>
        <select id={idOf(`${name}[op]`)} name={`${name}[op]`} defaultValue={rule.op} className={control}>
          {CONDITION_OPS.map((op) => (
            <option key={op} value={op}>
              {t(`wf.op.${op}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={idOf(`${name}[value]`)} className="block text-xs font-medium text-slate-700">
          {t('wf.cond.value')}
        </label>
        <input
          id={idOf(`${name}[value]`)}
          name={`${name}[value]`}
          defaultValue={rule.value ?? ''}
          className={control}
          aria-invalid={valueError ? true : undefined}
          aria-describedby={valueError ? `${name}[value]-error` : undefined}
        />
        {valueError ? (
          <p id={`${name}[value]-error`} className="mt-1 text-sm font-medium text-red-700">
            {valueError}
          </p>
        ) : null}
      </div>
      <div className="sm:pt-5">
        <button type="submit" name="intent" value={removeIntent} className={small} aria-label={`${t('wf.cond.remove')} ${n}`}>
          {t('wf.cond.remove')}
        </button>
      </div>
    </div>
  )
}
