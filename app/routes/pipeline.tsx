import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { PipelineBoard, type MoveResult } from '~/components/pipeline-board'
import { MoveStep } from '~/components/pipeline-move-step'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { changeDealStageCommand } from '../../domain/crm/crm.commands'
import { loadPipelines, loadStages } from '../../domain/crm/crm.repository'
import { canAdminister } from '../../domain/identity/roles'
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/shared/errors'
import { errorText } from '~/i18n/errors'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatEuros } from '~/utils/format'
import { commandIdOf, domainFailure, failure, formValues, text, type FormFailure } from '~/utils/forms.server'
import {
  boardCards,
  boardFiltersOf,
  boardHref,
  boardOwnerOptions,
  boardQuery,
  boardTotals,
  CARDS_MAX,
  CARDS_PER_PAGE,
  columnLimits,
  DEFAULT_CLOSED_PERIOD,
  chosenPipeline,
  hasSignedQuote,
  moreHref,
  reopenReasonFor,
  type ColumnTotals,
} from '~/utils/pipeline.server'
import { findVisibleDeal } from '~/utils/records.server'

export const meta: MetaFunction = () => [{ title: 'Pipeline — Alforis CRM' }]

const ZERO: ColumnTotals = { count: 0, amountCents: 0, weightedCents: 0 }

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const [allStages, pipelines] = await Promise.all([loadStages(auth.tenant.db, auth.user.workspaceId), loadPipelines(auth.tenant.db, auth.user.workspaceId)])
  // One pipeline's columns at a time (`?pipeline=`, a plain GET: the selector works without JavaScript).
  const pipeline = chosenPipeline(pipelines, url)
  const stages = allStages.filter((s) => !s.archived && (!pipeline || !s.pipeline_id || s.pipeline_id === pipeline.id))
  const asked = boardFiltersOf(url)
  // The default pipeline stays out of the URLs the board writes.
  const filters = { ...asked, pipeline: pipeline && pipeline.id !== pipelines[0]?.id ? pipeline.id : '' }
  const limits = columnLimits(url, stages)
  const movingId = url.searchParams.get('deplacer')
  const [totals, cards, options, moving] = await Promise.all([
    boardTotals(auth, stages, filters),
    boardCards(auth, stages, filters, limits),
    boardOwnerOptions(auth),
    movingId ? movingDeal(auth, movingId) : Promise.resolve(null),
  ])
  const movedId = url.searchParams.get('deplace')
  const moved = movedId
    ? Object.values(cards)
        .flat()
        .find((c) => c.id === movedId)
    : undefined
  const query = boardQuery(filters)
  return {
    stages: stages.map((s) => ({ code: s.code, label: s.label, kind: s.kind, probability: s.probability })),
    columns: Object.fromEntries(
      stages.map((s) => {
        const column = { totals: totals[s.code] ?? ZERO, cards: cards[s.code] ?? [] }
        const more = column.totals.count > column.cards.length && limits[s.code] < CARDS_MAX ? moreHref(filters, limits, s.code) : null
        return [s.code, { ...column, more }]
      }),
    ),
    filters,
    filtering: !!(filters.owner || filters.team || filters.period !== DEFAULT_CLOSED_PERIOD),
    // The selector, when there is a choice; its reset keeps the pipeline.
    pipelines: pipelines.length > 1 ? pipelines.map((p) => ({ id: p.id, name: p.name })) : [],
    pipelineId: pipeline?.id ?? '',
    resetHref: filters.pipeline ? `/pipeline?pipeline=${filters.pipeline}` : '/pipeline',
    canConfigure: canAdminister(auth.actor),
    query,
    // The board's filters and grown columns, kept by the no-JS move step and after a move.
    boardHref: boardHref(filters, limits),
    pageSize: CARDS_PER_PAGE,
    ...options,
    // The no-JS move step: one form on the page, for the card whose "Déplacer" link was followed.
    moving: moving ? { ...moving, commandId: randomUUID() } : null,
    movingGone: !!movingId && !moving,
    moved: moved ? { title: moved.title, stage: stages.find((s) => s.code === moved.stage)?.label ?? moved.stage } : null,
  }
}

/** The deal the no-JS move step is for (only when this user may move it), with what the step warns about. */
async function movingDeal(auth: Awaited<ReturnType<typeof requireUser>>, id: string) {
  const deal = await findVisibleDeal(auth, id)
  if (!deal || !deal.canWrite) return null
  return { id: deal.id, title: deal.title, stage: deal.stage, version: deal.version, signed_quote: await hasSignedQuote(auth, deal.id) }
}

/**
 * Moves a deal: the same ChangeDealStage command as the deal page. Posted by the no-JS
 * move step (redirect back to the board, errors in the step) and by drag-and-drop
 * through a fetcher (`js=1`: a JSON answer, the board rolls back on error). A move into
 * a won stage needs `confirm=1` (the dialog, or the step's confirmation screen); a move
 * out of one needs a reason, recorded on the stage-change event.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const { form } = auth
  const js = form.get('js') === '1'
  const values = formValues(form)
  const dealId = text(form, 'dealId')
  const fail = (status: number, error: string, field?: string) => data<MoveResult>({ ok: false, dealId, error, field }, { status })
  if (form.get('intent') !== 'move') return failure(values, {}, 400, auth.t('errors.generic'))
  const deal = await findVisibleDeal(auth, dealId)
  if (!deal) {
    if (js) return fail(404, auth.t('errors.notFoundText'))
    throw notFound()
  }
  if (!deal.canWrite) {
    if (js) return fail(403, auth.t('errors.forbiddenText'))
    throw forbidden()
  }
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return js ? fail(400, auth.t('errors.generic')) : failure(values, {}, 400, auth.t('errors.generic'))
  const to = text(form, 'stage')
  const stages = await loadStages(auth.tenant.db, auth.user.workspaceId)
  const target = stages.find((s) => s.code === to)
  // Signing is the step people regret most when a drop lands one column off: ask first.
  if (target?.kind === 'won' && target.code !== deal.stage && form.get('confirm') !== '1') {
    if (js) return fail(409, auth.t('pipeline.wonNeedsConfirm', { stage: target.label }))
    return data({ confirm: { stage: target.code, values } })
  }
  // A signed deal marked lost: the loss's reason says why it left the won stage too.
  const { reason: reopenReason, missing } = reopenReasonFor(stages, deal.stage, to, { reopen: text(form, 'reopen_reason'), lost: text(form, 'lost_reason') })
  if (missing) {
    const e = new ValidationError({ reopen_reason: 'deal.reopen_reason.required' })
    if (js) return fail(422, errorText(auth.locale, e), 'reopen_reason')
    return domainFailure(e, values, auth)
  }
  try {
    await changeDealStageCommand(context.runtime.db, auth.ctx(commandIdOf(form)), {
      id: deal.id,
      expectedVersion,
      to,
      lostReason: text(form, 'lost_reason') || null,
      reopenReason: reopenReason || null,
    })
  } catch (e) {
    if (js) {
      if (e instanceof NotFoundError) return fail(404, auth.t('errors.notFoundText'))
      if (e instanceof ForbiddenError) return fail(403, auth.t('errors.forbiddenText'))
      if (e instanceof DomainError) return fail(e.status, errorText(auth.locale, e), e.field)
      throw e
    }
    return domainFailure(e, values, auth)
  }
  if (js) return data<MoveResult>({ ok: true, dealId: deal.id, stage: to })
  const url = new URL(request.url)
  const back = new URLSearchParams(boardHref(boardFiltersOf(url), columnLimits(url, stages)).replace(/^\/pipeline\??/, ''))
  back.set('deplace', deal.id)
  throw redirect(`/pipeline?${back}#carte-${deal.id}`)
}

export default function Pipeline() {
  const { stages, columns, filters, filtering, query, boardHref, pageSize, owners, teams, moving, movingGone, moved } = useLoaderData<typeof loader>()
  const { pipelines, pipelineId, resetHref, canConfigure } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  // Drags get their answer through a fetcher; only the move step's answers render here.
  const failed = answer && 'values' in answer ? (answer as FormFailure) : undefined
  const confirm = answer && 'confirm' in answer ? (answer as { confirm: { stage: string; values: Record<string, string> } }).confirm : undefined
  const [search] = useSearchParams()
  const t = useT()
  const open = stages.filter((s) => s.kind === 'open').map((s) => columns[s.code].totals)
  const openTotal = open.reduce(
    (a, c) => ({ count: a.count + c.count, amountCents: a.amountCents + c.amountCents, weightedCents: a.weightedCents + c.weightedCents }),
    ZERO,
  )
  const select =
    'block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
  return (
    <div className="-mx-4 sm:mx-0">
      <div className="px-4 sm:px-0">
        <PageHeader
          title={t('pipeline.title')}
          subtitle={t('pipeline.openTotal', {
            amount: formatEuros(openTotal.amountCents, { rounded: true }),
            count: openTotal.count,
            weighted: formatEuros(openTotal.weightedCents, { rounded: true }),
          })}
        />
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-2" aria-label={t('pipeline.filter')}>
          {pipelines.length ? (
            <div>
              <label htmlFor="f-pipeline" className="block text-xs font-medium text-slate-700">
                {t('pipeline.pipelineLabel')}
              </label>
              <select id="f-pipeline" name="pipeline" defaultValue={pipelineId} className={`${select} mt-1`}>
                {pipelines.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div>
            <label htmlFor="f-responsable" className="block text-xs font-medium text-slate-700">
              {t('pipeline.filterOwner')}
            </label>
            <select id="f-responsable" name="responsable" defaultValue={filters.owner} className={`${select} mt-1`}>
              <option value="">{t('pipeline.allOwners')}</option>
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
              <option value="aucun">{t('pipeline.unassigned')}</option>
            </select>
          </div>
          {teams.length ? (
            <div>
              <label htmlFor="f-equipe" className="block text-xs font-medium text-slate-700">
                {t('pipeline.filterTeam')}
              </label>
              <select id="f-equipe" name="equipe" defaultValue={filters.team} className={`${select} mt-1`}>
                <option value="">{t('pipeline.allTeams')}</option>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div>
            <label htmlFor="f-clos" className="block text-xs font-medium text-slate-700">
              {t('pipeline.filterClosed')}
            </label>
            <select id="f-clos" name="clos" defaultValue={filters.period} className={`${select} mt-1`}>
              {(['30', '90', '365', 'tout'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`pipeline.period.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary">{t('pipeline.filter')}</Button>
          {filtering ? (
            <Link to={resetHref} className="rounded-md px-3 py-2 text-sm font-medium text-indigo-800 hover:underline">
              {t('pipeline.reset')}
            </Link>
          ) : null}
          {canConfigure ? (
            <Link to="/settings/pipelines" className="ml-auto rounded-md px-3 py-2 text-sm font-medium text-indigo-800 hover:underline">
              {t('pipelines.configure')}
            </Link>
          ) : null}
        </Form>
        {/* Dragging needs JavaScript: without it the hint would promise what the page cannot do. */}
        <p className="js-only mb-3 text-sm text-slate-600">{t('pipeline.subtitle')}</p>
        {moved && search.get('deplace') && !failed ? (
          <div className="mb-4">
            <Alert tone="success">{t('pipeline.moved', moved)}</Alert>
          </div>
        ) : null}
        {failed?.formError && !moving ? (
          <div className="mb-4">
            <Alert tone="error">{failed.formError}</Alert>
          </div>
        ) : null}
        {movingGone ? (
          <div className="mb-4">
            <Alert tone="warning">{t('pipeline.moveGone')}</Alert>
          </div>
        ) : null}
        {moving ? <MoveStep deal={moving} stages={stages} boardHref={boardHref} failure={failed} confirm={confirm} /> : null}
      </div>
      <PipelineBoard
        stages={stages}
        columns={columns}
        query={query}
        boardHref={boardHref}
        pageSize={pageSize}
        closedPeriod={t(`pipeline.period.${filters.period}`)}
      />
    </div>
  )
}
