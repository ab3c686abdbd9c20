import { DealLines } from '~/components/records/organisation-summary'
import type { OfflineDeal } from './types'
import { dealWithPending, type Ctx } from './offline-records'

// A deal in the rep's list, with "Étape suivante" in front: a button keyboard and
// screen-reader users press, and what swiping the row to the right presses on a phone
// (app/offline/gestures.tsx, like a task's "Terminer"). The move is queued on the device with
// the version it saw, so a deal that moved on meanwhile comes back as a conflict to resolve.

/** The open stage after this one, in pipeline order; none after the last open stage (winning or losing asks more). */
export function nextOpenStage(stages: Ctx['set']['stages'], code: string) {
  const open = stages.filter((s) => s.kind === 'open')
  const i = open.findIndex((s) => s.code === code)
  return i >= 0 && i < open.length - 1 ? open[i + 1] : null
}

export function DealSwipeRow({ ctx, deal }: { ctx: Ctx; deal: OfflineDeal }) {
  const d = dealWithPending(ctx, deal)
  const stage = ctx.set.stages.find((s) => s.code === d.stage)
  const next = nextOpenStage(ctx.set.stages, d.stage)
  const move = () => void ctx.add({ kind: 'deal-stage', payload: { id: deal.id, version: deal.version, stage: next!.code } })
  return (
    <li className="flex touch-pan-y items-center gap-3 bg-white" data-swipe={next ? '' : undefined} data-testid={`deal-row-${deal.id}`}>
      <div className="min-w-0 flex-1 [&_li]:py-2 [&_ul]:divide-y-0">
        <DealLines
          deals={[{ id: d.id, title: d.title, amount_cents: d.amount_cents, stageLabel: stage?.label ?? d.stage, stageKind: stage?.kind, pending: d.pending }]}
        />
        <span className="text-xs text-slate-600">{d.organisation_name}</span>
      </div>
      {next ? (
        <button
          type="button"
          data-swipe-action=""
          onClick={move}
          className="inline-flex min-h-[48px] flex-none items-center rounded-md bg-white px-3 text-sm font-semibold text-indigo-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          <span aria-hidden="true">→&nbsp;</span>
          {next.label}
          <span className="sr-only"> : passer « {d.title} » à cette étape</span>
        </button>
      ) : null}
    </li>
  )
}
