import { useT } from '~/i18n/use-t'
import { STEP_TYPES, type Step, type WorkflowDefinition } from '../../../domain/workflows/workflow.definition'
import { canMove, chainFrom, detachedHeads, subtreeOf } from '../../../domain/workflows/workflow.edit'
import type { EditorChoices, Errors } from './editor-types'
import { StepFields } from './step-fields'

// The steps of the no-JS editor: the list from the start, each branch with its "Alors" and
// "Sinon" lists nested under it. Every step is a fieldset named `steps[<i>]` (its place in
// `definition.steps`) carrying its links (next/then/else) as hidden fields, so a submit
// posts the whole tree back. Add/move/delete are named submits the action applies.

const small =
  'rounded-md px-2.5 py-1.5 text-xs font-semibold ring-1 ring-inset ring-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'
const control = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-indigo-600'

type Ctx = { def: WorkflowDefinition; errors: Errors; choices: EditorChoices; index: Map<string, number> }

export function stepName(step: Step, t: ReturnType<typeof useT>) {
  return step.label || t(`wf.type.${step.type}`)
}

export function StepTree({ def, errors, choices }: { def: WorkflowDefinition; errors: Errors; choices: EditorChoices }) {
  const t = useT()
  const index = new Map(def.steps.map((s, i) => [s.id, i]))
  const ctx: Ctx = { def, errors, choices, index }
  const shown = def.start ? subtreeOf(def, def.start) : new Set<string>()
  const heads = detachedHeads(def)
  for (const h of heads) for (const id of subtreeOf(def, h)) shown.add(id)
  // Steps in a loop with no head (a hand-edited draft): listed flat so they still post back.
  const leftovers = def.steps.filter((s) => !shown.has(s.id))
  return (
    <div className="space-y-4">
      <input type="hidden" name="start" value={def.start ?? ''} />
      <AddControl pos="start" where={t('wf.add.atStart')} />
      {def.start ? <StepList head={def.start} ctx={ctx} /> : <p className="text-sm text-slate-600">{t('wf.steps.empty')}</p>}
      {heads.length || leftovers.length ? (
        <section aria-labelledby="detached-title" className="rounded-md border border-amber-300 bg-amber-50 p-3">
          <h3 id="detached-title" className="text-sm font-semibold text-amber-900">
            {t('wf.steps.detached')}
          </h3>
          <p className="mb-2 text-xs text-amber-900">{t('wf.steps.detachedHint')}</p>
          {heads.map((h) => (
            <StepList key={h} head={h} ctx={ctx} />
          ))}
          {leftovers.length ? (
            <ol className="space-y-3">
              {leftovers.map((s) => (
                <li key={s.id}>
                  <StepCard step={s} ctx={ctx} />
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ) : null}
    </div>
  )
}

function StepList({ head, ctx }: { head: string | null; ctx: Ctx }) {
  const t = useT()
  const chain = chainFrom(ctx.def, head)
  if (!chain.length) return null
  return (
    <ol className="space-y-3">
      {chain.map((s) => (
        <li key={s.id}>
          <StepCard step={s} ctx={ctx} />
          {s.type === 'branch' ? (
            <div className="ml-4 mt-2 space-y-3 border-l-2 border-indigo-200 pl-4">
              {(['then', 'else'] as const).map((slot) => (
                <section key={slot} aria-label={`${t(slot === 'then' ? 'wf.step.then' : 'wf.step.else')} — ${stepName(s, t)}`}>
                  <h4 className="text-sm font-semibold text-indigo-900">{t(slot === 'then' ? 'wf.step.then' : 'wf.step.else')}</h4>
                  <AddControl pos={`${slot}.${s.id}`} where={t(slot === 'then' ? 'wf.add.inThen' : 'wf.add.inElse', { name: stepName(s, t) })} />
                  {s[slot] ? (
                    <div className="mt-2">
                      <StepList head={s[slot]} ctx={ctx} />
                    </div>
                  ) : (
                    <p className="mt-1 text-xs text-slate-600">{t('wf.step.thenEmpty')}</p>
                  )}
                </section>
              ))}
            </div>
          ) : (
            <AddControl pos={`after.${s.id}`} where={t('wf.add.after', { name: stepName(s, t) })} />
          )}
        </li>
      ))}
    </ol>
  )
}

function StepCard({ step, ctx }: { step: Step; ctx: Ctx }) {
  const t = useT()
  const i = ctx.index.get(step.id)!
  const prefix = `steps[${i}]`
  const name = stepName(step, t)
  const stepError = ctx.errors[`steps.${step.id}`]
  const linkErrors = (['next', 'then', 'else'] as const).map((k) => ctx.errors[`steps.${step.id}.${k}`]).filter(Boolean)
  return (
    <fieldset
      id={`step-${step.id}`}
      className={`rounded-lg border bg-white p-4 shadow-sm ${stepError || linkErrors.length ? 'border-red-400' : 'border-slate-200'}`}
    >
      <legend className="rounded bg-indigo-50 px-2 py-0.5 text-sm font-semibold text-indigo-900">
        {t('wf.step.number', { n: i + 1 })} — {t(`wf.type.${step.type}`)}
        {step.label ? ` : ${step.label}` : ''}
      </legend>
      <input type="hidden" name={`${prefix}[id]`} value={step.id} />
      <input type="hidden" name={`${prefix}[type]`} value={step.type} />
      {step.type === 'branch' ? (
        <>
          <input type="hidden" name={`${prefix}[then]`} value={step.then ?? ''} />
          <input type="hidden" name={`${prefix}[else]`} value={step.else ?? ''} />
        </>
      ) : (
        <input type="hidden" name={`${prefix}[next]`} value={step.next ?? ''} />
      )}
      {stepError ? (
        <p id={`steps.${step.id}-error`} className="mb-2 text-sm font-medium text-red-700" role="alert">
          {stepError}
        </p>
      ) : null}
      {linkErrors.map((e) => (
        <p key={e} className="mb-2 text-sm font-medium text-red-700">
          {e}
        </p>
      ))}
      <div className="space-y-3">
        <div className="max-w-md">
          <label htmlFor={`f-${prefix}[label]`} className="block text-xs font-medium text-slate-700">
            {t('wf.step.label')}
          </label>
          <input id={`f-${prefix}[label]`} name={`${prefix}[label]`} defaultValue={step.label ?? ''} maxLength={120} className={`${control} w-full`} />
        </div>
        <StepFields step={step} prefix={prefix} errors={ctx.errors} choices={ctx.choices} />
        {step.type === 'branch' ? <p className="text-xs text-slate-600">{t('wf.step.branchRemoveHint')}</p> : null}
        <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-3">
          {canMove(ctx.def, step.id, 'up') ? (
            <button type="submit" name="intent" value={`up:${step.id}`} className={small}>
              <span aria-hidden="true">↑ </span>
              {t('wf.step.up')}
              <span className="sr-only"> — {name}</span>
            </button>
          ) : null}
          {canMove(ctx.def, step.id, 'down') ? (
            <button type="submit" name="intent" value={`down:${step.id}`} className={small}>
              <span aria-hidden="true">↓ </span>
              {t('wf.step.down')}
              <span className="sr-only"> — {name}</span>
            </button>
          ) : null}
          <button type="submit" name="intent" value={`remove:${step.id}`} className={`${small} text-red-800`}>
            {t('wf.step.remove')}
            <span className="sr-only"> — {name}</span>
          </button>
        </div>
      </div>
    </fieldset>
  )
}

function AddControl({ pos, where }: { pos: string; where: string }) {
  const t = useT()
  const id = `f-add_type[${pos}]`
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor={id} className="sr-only">
        {t('wf.add.typeAt', { where })}
      </label>
      <select id={id} name={`add_type[${pos}]`} defaultValue="send_email" className={control}>
        {STEP_TYPES.map((type) => (
          <option key={type} value={type}>
            {t(`wf.type.${type}`)}
          </option>
        ))}
      </select>
      <button type="submit" name="intent" value={`add:${pos}`} className={small}>
        <span aria-hidden="true">+ </span>
        {t('wf.add.button')}
        <span className="sr-only"> {t('wf.add.stepWhere', { where })}</span>
      </button>
    </div>
  )
}
