import { useT } from '~/i18n/use-t'
import type { Variable } from '../../../domain/workflows/workflow.definition'

/** The variables the current trigger offers, to copy into texts as {{path}}. */
export function VariablesHelp({ variables, webhook }: { variables: Variable[]; webhook: boolean }) {
  const t = useT()
  return (
    <details className="rounded-md border border-slate-200 bg-white p-3 text-sm" open>
      <summary className="cursor-pointer font-semibold text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
        {t('wf.vars.title')}
      </summary>
      <p className="mt-1 text-xs text-slate-600">{t('wf.vars.hint')}</p>
      <dl className="mt-2 space-y-1">
        {variables.map((v) => (
          <div key={v.path}>
            <dt>
              <code className="rounded bg-slate-100 px-1 text-slate-900">{`{{${v.path}}}`}</code>
            </dt>
            <dd className="pl-1 text-xs text-slate-700">{v.label}</dd>
          </div>
        ))}
      </dl>
      {webhook ? <p className="mt-1 text-slate-700">{t('wf.vars.webhook')}</p> : null}
    </details>
  )
}
