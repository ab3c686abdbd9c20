import type { ReactNode } from 'react'
import { useT } from '~/i18n/use-t'

/**
 * The lines of an import report the user must read (rejected, corrected): line number and
 * reason, scrolling inside a box when there are many. `more` counts the lines the report
 * holds beyond those listed; `children` goes below (e.g. the rejected rows' download).
 */
export function ImportLinesTable({
  title,
  lines,
  testId,
  more,
  tall,
  children,
}: {
  title: string
  lines: ReadonlyArray<{ line: number; reason: string }>
  testId: string
  more?: string | null
  tall?: boolean
  children?: ReactNode
}) {
  const t = useT()
  return (
    <div className="mt-5">
      <h3 className="mb-2 text-sm font-semibold text-slate-900">{title}</h3>
      <div className={`${tall ? 'max-h-96' : 'max-h-64'} overflow-auto rounded-md border border-slate-200`}>
        <table className="w-full text-sm">
          <thead className="sticky top-0 bg-slate-50 text-left text-slate-700">
            <tr>
              <th scope="col" className="w-20 px-3 py-2 font-semibold">
                {t('import.line')}
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                {t('import.reason')}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid={testId}>
            {lines.map((r) => (
              <tr key={r.line}>
                <td className="px-3 py-2 tabular-nums text-slate-700">{r.line}</td>
                <td className="px-3 py-2 text-slate-900">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more ? <p className="mt-2 text-xs text-slate-600">{more}</p> : null}
      {children}
    </div>
  )
}

/** The link to the rejected rows as a CSV, with their reasons (an import report's `rejets.csv`). */
export function RejectedRowsDownload({ href }: { href: string }) {
  const t = useT()
  return (
    <p className="mt-2 text-sm">
      <a href={href} download className="font-medium text-indigo-800 underline hover:no-underline">
        {t('import.downloadRejected')}
      </a>
    </p>
  )
}
