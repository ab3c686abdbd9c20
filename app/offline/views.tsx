import { useState, type FormEvent, type ReactNode } from 'react'
import { ActivityTimeline, type TimelineEntry } from '~/components/activity-timeline'
import { ContactLines, type ContactLine } from '~/components/record-contacts'
import { ContactPoints, ContactSubtitle } from '~/components/records/contact-summary'
import { DealKeyFigures, DealSubtitle } from '~/components/records/deal-summary'
import { DealLines, OrganisationDetails, OrganisationSubtitle, TagsAndNotes } from '~/components/records/organisation-summary'
import { DocumentNavigation, PendingBadge, RecordLink } from '~/components/records/record-link'
import { TaskRowView, type TaskItem } from '~/components/records/task-row'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { formatPhone } from '../../domain/crm/contact-points'
import { centsToInput, parseEurosToCents } from '../../domain/shared/money'
import { parisLocalToUtc, toParisLocalInput } from '../../domain/shared/paris-time'
import { DealSwipeRow } from './deal-swipe'
import { dealWithPending, type Ctx } from './offline-records'
import { PendingChanges } from './pending-changes'
import { replayQueue, requestBackgroundSync } from './replay'
import type { OfflineActivity, OfflineContact, OfflineDeal, OfflineTask, QueueEntry, QueuedChange, WorkingSet } from './types'
import { formatParisTime, useOfflineStore } from './use-offline'

// The rep's records rendered from the device (IndexedDB) when the network is gone: the
// offline page (app/routes/offline.tsx) shows the one asked for (`?from=/deals/…`). The
// record parts are the online pages' own components (app/components/records/), fed from
// the working set; what is offline-only here is the queueing forms. Links navigate the whole
// document (DocumentNavigation): offline, the service worker answers every navigation with
// this page and its own `from`.

const card = 'rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6'
const btn =
  'inline-flex min-h-[48px] items-center justify-center rounded-md px-4 text-sm font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'
const primary = `${btn} bg-indigo-700 text-white hover:bg-indigo-800`
const secondary = `${btn} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`
const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 focus:outline-none focus:ring-2 focus:ring-indigo-600'
const link = 'font-medium text-indigo-800 underline-offset-2 hover:underline'

/** What the offline page shows for `from` when this device holds a working set. */
export function OfflineRecords({ from, notice }: { from: string; notice: ReactNode }) {
  const { loaded, set, queue, add } = useOfflineStore()
  if (!loaded) return null
  if (!set) return null
  const ctx: Ctx = {
    set,
    queue,
    add: async (c) => {
      await add(c)
      void requestBackgroundSync()
      if (navigator.onLine) void replayQueue()
    },
  }
  const path = from.split('?')[0]
  const [, section, id] = path.split('/')
  let body: ReactNode
  if (section === 'organisations' && id) body = <AccountView ctx={ctx} id={id} />
  else if (section === 'deals' && id) body = <DealView ctx={ctx} id={id} />
  else if (section === 'contacts' && id && id !== 'new') body = <ContactView ctx={ctx} id={id} />
  else if (section === 'contacts' && id === 'new') body = <NewContactForm ctx={ctx} organisationId={null} />
  else if (section === 'tasks') body = <TasksView ctx={ctx} />
  else {
    // Not a record: the offline notice (what works, "Réessayer"), then what the device holds.
    const known = !section || ['organisations', 'deals', 'contacts', 'pipeline'].includes(section)
    return (
      <DocumentNavigation.Provider value={true}>
        <div className="space-y-4">
          {notice}
          <StatusBar set={set} queue={queue} />
          <PendingChanges />
          {known ? null : <Unavailable />}
          <HomeView ctx={ctx} />
        </div>
      </DocumentNavigation.Provider>
    )
  }
  return (
    <DocumentNavigation.Provider value={true}>
      <div lang="fr" className="space-y-4">
        <StatusBar set={set} queue={queue} />
        <nav aria-label="Hors ligne" className="flex flex-wrap gap-2">
          <a className={secondary} href="/">
            Accueil
          </a>
          <a className={secondary} href="/tasks">
            Tâches
          </a>
          <a className={secondary} href="/contacts/new">
            Nouveau contact
          </a>
        </nav>
        <PendingChanges />
        {body}
      </div>
    </DocumentNavigation.Provider>
  )
}

function StatusBar({ set, queue }: { set: WorkingSet; queue: QueueEntry[] }) {
  const pending = queue.filter((e) => e.state === 'pending').length
  return (
    <div lang="fr" className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-slate-800 px-3 py-2 text-sm text-white" role="status">
      <span>
        Hors ligne · à jour à {formatParisTime(set.generatedAt)} · {set.user.fullName}
      </span>
      {pending ? <span className="rounded bg-amber-300 px-2 py-0.5 font-semibold text-slate-900">{pending} en attente</span> : null}
    </div>
  )
}

function Unavailable({ what = 'Cette page' }: { what?: string }) {
  return (
    <div className={card}>
      <h2 className="text-lg font-bold text-slate-900">Non disponible hors ligne</h2>
      <p className="mt-2 text-slate-700">
        {what} ne fait pas partie de vos données gardées sur cet appareil (vos comptes, vos affaires en cours, vos contacts, vos tâches du jour et en retard).
        Elle s’ouvrira au retour du réseau.
      </p>
    </div>
  )
}

const pendingOf = <K extends QueuedChange['kind']>(queue: QueueEntry[], kind: K) =>
  queue.filter((e): e is QueueEntry & Extract<QueuedChange, { kind: K }> => e.kind === kind && e.state !== 'rejected')

// ── the working set as the shared components' props ──────────────────────────────────────

const stageOf = (ctx: Ctx, code: string) => ctx.set.stages.find((s) => s.code === code)

function dealLines(ctx: Ctx, deals: OfflineDeal[]) {
  return deals.map((base) => {
    const d = dealWithPending(ctx, base)
    const stage = stageOf(ctx, d.stage)
    return { id: d.id, title: d.title, amount_cents: d.amount_cents, stageLabel: stage?.label ?? d.stage, stageKind: stage?.kind, pending: d.pending }
  })
}

function contactLines(ctx: Ctx, match: (c: OfflineContact) => boolean): ContactLine[] {
  const created = pendingOf(ctx.queue, 'contact-create').map((e) => ({ ...e.payload, version: 0, pending: true }))
  return [...ctx.set.contacts, ...created].filter(match).map((c) => ({
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    job_title: c.job_title,
    email: c.emails[0] ?? null,
    phone: c.phones[0] ? { e164: c.phones[0], display: formatPhone(c.phones[0]) } : null,
    pending: 'pending' in c,
  }))
}

type OfflineTaskItem = TaskItem & { pending: boolean; completing: boolean; rescheduledFrom: string | null }

function taskItems(ctx: Ctx, match: (t: OfflineTask) => boolean): OfflineTaskItem[] {
  const { set, queue } = ctx
  const completed = new Set(pendingOf(queue, 'task-complete').map((e) => e.payload.id))
  const moved = new Map(pendingOf(queue, 'task-reschedule').map((e) => [e.payload.id, e.payload.due_at]))
  const created: OfflineTask[] = pendingOf(queue, 'task-create').map((e) => ({
    ...e.payload,
    all_day: false,
    priority: 'normale',
    status: 'a_faire',
    contact_id: null,
    version: 0,
  }))
  const createdIds = new Set(created.map((t) => t.id))
  const now = Date.now()
  const name = <T extends { id: string }>(list: T[], id: string | null, label: (x: T) => string) => {
    const found = id ? list.find((x) => x.id === id) : undefined
    return found ? { id: found.id, name: label(found) } : null
  }
  return [...set.tasks, ...created].filter(match).map((t) => {
    const dueAt = moved.get(t.id) ?? t.due_at
    const done = completed.has(t.id)
    return {
      id: t.id,
      title: t.title,
      status: (done ? 'terminee' : t.status) as TaskItem['status'],
      priority: t.priority as TaskItem['priority'],
      version: t.version,
      dueAt,
      allDay: t.all_day,
      overdue: !done && !!dueAt && Date.parse(dueAt) < now,
      recurring: false,
      assigneeName: set.user.fullName,
      completedAt: null,
      canWrite: true,
      organisation: name(set.organisations, t.organisation_id, (o) => o.name),
      contact: name(set.contacts, t.contact_id, (c) => `${c.first_name} ${c.last_name}`),
      deal: name(set.deals, t.deal_id, (d) => d.title),
      pending: done || moved.has(t.id) || createdIds.has(t.id),
      completing: done,
      rescheduledFrom: moved.has(t.id) ? t.due_at : null,
    }
  })
}

function timeline(ctx: Ctx, match: (a: OfflineActivity) => boolean): TimelineEntry[] {
  const { set } = ctx
  const pending = pendingOf(ctx.queue, 'activity').map((e) => ({ ...e.payload, author_name: set.user.fullName, pending: true }))
  const items: (OfflineActivity & { pending?: boolean })[] = [...pending.reverse(), ...set.activities].filter(match)
  return items.map((a) => {
    const contact = a.contact_id ? set.contacts.find((c) => c.id === a.contact_id) : undefined
    const deal = a.deal_id ? set.deals.find((d) => d.id === a.deal_id) : undefined
    return {
      id: a.id,
      kind: a.kind as TimelineEntry['kind'],
      subject: a.subject,
      body: a.body && a.body !== a.subject ? a.body : null,
      occurredAt: a.occurred_at,
      durationMinutes: null,
      authorName: a.author_name,
      contact: contact ? { id: contact.id, name: `${contact.first_name} ${contact.last_name}` } : null,
      deal: deal ? { id: deal.id, title: deal.title } : null,
      canChange: false,
      pending: a.pending,
    }
  })
}

// ── pages ────────────────────────────────────────────────────────────────────────────────

function HomeView({ ctx }: { ctx: Ctx }) {
  const { set } = ctx
  const t = useT()
  return (
    <>
      <h2 className="text-lg font-bold text-slate-900">Mes données gardées sur cet appareil</h2>
      <OfflineTasks ctx={ctx} />
      <Card title="Mes affaires en cours">
        <p className="mb-2 text-sm text-slate-600">Faites glisser une affaire vers la droite pour la passer à l’étape suivante.</p>
        <ul className="divide-y divide-slate-100">
          {set.deals.map((d) => (
            <DealSwipeRow key={d.id} ctx={ctx} deal={d} />
          ))}
        </ul>
      </Card>
      <Card title="Mes comptes">
        <ul className="divide-y divide-slate-100">
          {set.organisations.map((o) => (
            <li key={o.id} className="py-2">
              <RecordLink className={link} to={`/organisations/${o.id}`}>
                {o.name}
              </RecordLink>
              {o.city ? <span className="block text-sm text-slate-600">{o.city}</span> : null}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Mes contacts">
        <ContactLines contacts={contactLines(ctx, () => true)} empty={t('contact.none')} />
      </Card>
      <NewContactForm ctx={ctx} organisationId={null} />
    </>
  )
}

function AccountView({ ctx, id }: { ctx: Ctx; id: string }) {
  const t = useT()
  const o = ctx.set.organisations.find((x) => x.id === id)
  if (!o) return <Unavailable what="Cette organisation" />
  const values = {
    name: o.name,
    siren: o.siren ?? '',
    siret: o.siret ?? '',
    vat_number: o.vat_number ?? '',
    address: o.address ?? '',
    postal_code: o.postal_code ?? '',
    city: o.city ?? '',
    sector: o.sector ?? '',
    size: o.size ?? '',
    phone: o.phone ? formatPhone(o.phone) : '',
  }
  return (
    <>
      <PageHeader title={o.name} subtitle={<OrganisationSubtitle status={o.status} siren={o.siren} city={o.city} ownerName={o.owner_name ?? null} />} />
      <Card title={t('org.details')}>
        <OrganisationDetails values={values} ownerName={o.owner_name ?? null} phone={o.phone ?? null} email={o.email ?? null} website={o.website ?? null} />
      </Card>
      <Card title={t('org.deals')}>
        <DealLines
          deals={dealLines(
            ctx,
            ctx.set.deals.filter((d) => d.organisation_id === id),
          )}
        />
      </Card>
      <Card title={t('contact.ofOrganisation')}>
        <ContactLines contacts={contactLines(ctx, (c) => c.organisation_id === id)} empty={t('contact.none')} />
      </Card>
      <OfflineTasks ctx={ctx} match={(x) => x.organisation_id === id} hideLinks />
      <NoteForm ctx={ctx} links={{ organisation_id: id, deal_id: null, contact_id: null }} />
      <Activities items={timeline(ctx, (a) => a.organisation_id === id)} />
      <Card title={t('org.tagsNotes')}>
        <TagsAndNotes tags={o.tags ?? []} notes={o.notes ?? null} />
      </Card>
    </>
  )
}

function DealView({ ctx, id }: { ctx: Ctx; id: string }) {
  const base = ctx.set.deals.find((x) => x.id === id)
  if (!base) return <Unavailable what="Cette affaire" />
  const d = dealWithPending(ctx, base)
  const stage = stageOf(ctx, d.stage)
  return (
    <>
      <PageHeader
        title={
          <>
            {d.title}
            {d.pending ? <PendingBadge /> : null}
          </>
        }
        subtitle={
          <DealSubtitle
            organisation={{ id: d.organisation_id, name: d.organisation_name }}
            stage={{ label: stage?.label ?? d.stage, kind: stage?.kind, pending: d.stagePending }}
          />
        }
      />
      <DealKeyFigures
        amountCents={d.amount_cents}
        probability={stage?.probability ?? null}
        expectedCloseDate={d.expected_close_date}
        ownerName={ctx.set.user.fullName}
      />
      <DealEdit ctx={ctx} deal={d} />
      <OfflineTasks ctx={ctx} match={(t) => t.deal_id === id} hideLinks />
      <NoteForm ctx={ctx} links={{ organisation_id: d.organisation_id, deal_id: id, contact_id: null }} />
      <Activities items={timeline(ctx, (a) => a.deal_id === id)} hideDeal />
    </>
  )
}

function DealEdit({ ctx, deal }: { ctx: Ctx; deal: OfflineDeal }) {
  const [error, setError] = useState('')
  const [done, setDone] = useState('')
  // Changes are based on the version the device holds: the server compares them.
  const base = ctx.set.deals.find((x) => x.id === deal.id)!
  async function saveAmount(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const parsed = parseEurosToCents(String(new FormData(e.currentTarget).get('amount') ?? ''))
    if (!parsed.ok) return setError('Saisissez un montant en euros, par exemple 12 500,00.')
    setError('')
    await ctx.add({ kind: 'deal-update', payload: { id: deal.id, version: base.version, fields: { amount_cents: parsed.cents } } })
    setDone('Montant enregistré sur l’appareil, en attente d’envoi.')
  }
  async function moveStage(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const stage = String(new FormData(e.currentTarget).get('stage') ?? '')
    if (!stage || stage === deal.stage) return
    await ctx.add({ kind: 'deal-stage', payload: { id: deal.id, version: base.version, stage } })
    setDone('Étape enregistrée sur l’appareil, en attente d’envoi.')
  }
  return (
    <section className={card}>
      <h2 className="text-base font-semibold">Modifier</h2>
      <form onSubmit={saveAmount} noValidate className="mt-2 space-y-2">
        <label htmlFor="offline-amount" className="block text-sm font-medium">
          Montant (€)
        </label>
        <input
          id="offline-amount"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={centsToInput(deal.amount_cents)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'offline-amount-error' : undefined}
          className={input}
        />
        {error ? (
          <p id="offline-amount-error" className="text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <button type="submit" className={primary}>
          Enregistrer le montant
        </button>
      </form>
      <form onSubmit={moveStage} className="mt-4 space-y-2">
        <label htmlFor="offline-stage" className="block text-sm font-medium">
          Étape
        </label>
        <select id="offline-stage" name="stage" defaultValue={deal.stage} className={input}>
          {ctx.set.stages
            .filter((s) => s.kind === 'open')
            .map((s) => (
              <option key={s.code} value={s.code}>
                {s.label}
              </option>
            ))}
        </select>
        <button type="submit" className={secondary}>
          Changer d’étape
        </button>
      </form>
      {done ? (
        <p role="status" className="mt-2 text-sm text-green-800">
          {done}
        </p>
      ) : null}
    </section>
  )
}

function ContactView({ ctx, id }: { ctx: Ctx; id: string }) {
  const t = useT()
  const created = pendingOf(ctx.queue, 'contact-create').find((e) => e.payload.id === id)
  const c: OfflineContact | undefined = ctx.set.contacts.find((x) => x.id === id) ?? (created ? { ...created.payload, version: 0 } : undefined)
  if (!c) return <Unavailable what="Ce contact" />
  const org = ctx.set.organisations.find((o) => o.id === c.organisation_id)
  return (
    <>
      <PageHeader
        title={
          <>
            {c.first_name} {c.last_name}
            {created ? <PendingBadge /> : null}
          </>
        }
        subtitle={<ContactSubtitle jobTitle={c.job_title} organisation={org ? { id: org.id, name: org.name } : null} ownerName={ctx.set.user.fullName} />}
      />
      <Card title={t('contact.details')}>
        {/* A contact created offline keeps its phones as typed until the server normalises them. */}
        <ContactPoints phones={c.phones.map((p) => ({ e164: p.replace(/[^\d+]/g, ''), display: formatPhone(p) }))} emails={c.emails} />
      </Card>
      <OfflineTasks ctx={ctx} match={(x) => x.contact_id === id} hideLinks />
      <NoteForm ctx={ctx} links={{ organisation_id: c.organisation_id, deal_id: null, contact_id: id }} />
      <Activities items={timeline(ctx, (a) => a.contact_id === id)} hideContact />
      <Card title={t('org.tagsNotes')}>
        <TagsAndNotes tags={c.tags ?? []} notes={c.notes ?? null} />
      </Card>
    </>
  )
}

function TasksView({ ctx }: { ctx: Ctx }) {
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Mes tâches du jour et en retard</h1>
      <OfflineTasks ctx={ctx} title={null} />
      <NewTaskForm ctx={ctx} />
    </>
  )
}

function Activities({ items, hideContact, hideDeal }: { items: TimelineEntry[]; hideContact?: boolean; hideDeal?: boolean }) {
  const t = useT()
  return (
    <Card title={t('activity.title')}>
      <ActivityTimeline items={items} nextCursor={null} paged={false} hideContact={hideContact} hideDeal={hideDeal} />
    </Card>
  )
}

// ── tasks: the online row, with a control that queues ─────────────────────────────────────

function OfflineTasks({
  ctx,
  match = () => true,
  title = 'Tâches',
  hideLinks = false,
}: {
  ctx: Ctx
  match?: (t: OfflineTask) => boolean
  title?: string | null
  hideLinks?: boolean
}) {
  const items = taskItems(ctx, match)
  if (!items.length && title) return null
  return (
    <section className={card} aria-label={title ?? 'Tâches'}>
      {title ? <h2 className="text-base font-semibold">{title}</h2> : null}
      {items.length ? (
        <ul className="mt-2 divide-y divide-slate-100">
          {items.map((item) => (
            <TaskRowView
              key={item.id}
              item={item}
              hideLinks={hideLinks}
              pending={item.pending}
              control={item.completing ? null : <CompleteButton ctx={ctx} item={item} />}
              extra={item.completing ? null : <RescheduleForm ctx={ctx} item={item} />}
            />
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-600">Aucune tâche pour aujourd’hui.</p>
      )}
    </section>
  )
}

/** The online row's round "Terminer" button, queueing instead of posting (swiping the row presses it). */
function CompleteButton({ ctx, item }: { ctx: Ctx; item: TaskItem }) {
  const t = useT()
  const label = t('task.completeNamed', { title: item.title })
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      data-swipe-action=""
      onClick={() => void ctx.add({ kind: 'task-complete', payload: { id: item.id } })}
      className="grid h-6 w-6 flex-none place-items-center rounded-full border-2 border-slate-400 bg-white text-xs text-transparent hover:border-green-600 hover:text-green-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <span aria-hidden="true">✓</span>
    </button>
  )
}

/** "Reporter": a new due date and time (Paris), queued with the date the device showed. */
function RescheduleForm({ ctx, item }: { ctx: Ctx; item: OfflineTaskItem }) {
  const [error, setError] = useState('')
  const base = ctx.set.tasks.find((x) => x.id === item.id)
  if (!base) return null // created offline: its date goes with its creation
  const inputId = `offline-due-${item.id}`
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const due = parisLocalToUtc(String(new FormData(e.currentTarget).get('due') ?? ''))
    if (!due) return setError('Choisissez une date et une heure.')
    setError('')
    await ctx.add({ kind: 'task-reschedule', payload: { id: item.id, version: base!.version, due_at: due.toISOString(), from_due_at: base!.due_at } })
  }
  return (
    <details className="mt-1">
      <summary className="inline-flex min-h-[44px] cursor-pointer items-center text-sm font-medium text-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
        Reporter<span className="sr-only"> « {item.title} »</span>
      </summary>
      <form onSubmit={submit} noValidate className="mt-2 flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={inputId} className="block text-sm font-medium">
            Nouvelle échéance
          </label>
          <input
            id={inputId}
            name="due"
            type="datetime-local"
            defaultValue={item.dueAt ? toParisLocalInput(item.dueAt) : ''}
            className={input}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : undefined}
          />
        </div>
        <button type="submit" className={secondary}>
          Reporter la tâche
        </button>
        {error ? (
          <p id={`${inputId}-error`} className="basis-full text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
      </form>
    </details>
  )
}

function NewTaskForm({ ctx }: { ctx: Ctx }) {
  const [error, setError] = useState('')
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const title = String(new FormData(form).get('title') ?? '').trim()
    if (!title) return setError('Indiquez l’intitulé de la tâche.')
    setError('')
    await ctx.add({ kind: 'task-create', payload: { id: crypto.randomUUID(), title, due_at: new Date().toISOString(), organisation_id: null, deal_id: null } })
    form.reset()
  }
  return (
    <form onSubmit={submit} noValidate className={`${card} space-y-2`}>
      <h2 className="text-base font-semibold">Nouvelle tâche pour aujourd’hui</h2>
      <label htmlFor="offline-task-title" className="block text-sm font-medium">
        Intitulé
      </label>
      <input
        id="offline-task-title"
        name="title"
        autoComplete="off"
        className={input}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'offline-task-error' : undefined}
      />
      {error ? (
        <p id="offline-task-error" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
      <button type="submit" className={primary}>
        Ajouter la tâche
      </button>
    </form>
  )
}

/** A contact written down offline: queued with its own id, shown at once with "en attente". */
function NewContactForm({ ctx, organisationId }: { ctx: Ctx; organisationId: string | null }) {
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [done, setDone] = useState('')
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const data = new FormData(form)
    const text = (k: string) => String(data.get(k) ?? '').trim()
    const next: Record<string, string> = {}
    if (!text('first_name')) next.first_name = 'Indiquez le prénom.'
    if (!text('last_name')) next.last_name = 'Indiquez le nom.'
    const email = text('email')
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) next.email = 'Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.'
    setErrors(next)
    setDone('')
    if (Object.keys(next).length) return
    const org = text('organisation_id') || organisationId
    await ctx.add({
      kind: 'contact-create',
      payload: {
        id: crypto.randomUUID(),
        first_name: text('first_name'),
        last_name: text('last_name'),
        job_title: text('job_title') || null,
        emails: email ? [email] : [],
        phones: text('phone') ? [text('phone')] : [],
        organisation_id: org || null,
      },
    })
    form.reset()
    setDone('Contact enregistré sur l’appareil, en attente d’envoi.')
  }
  const field = (name: string, label: string, props: Record<string, string> = {}) => (
    <div>
      <label htmlFor={`offline-contact-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={`offline-contact-${name}`}
        name={name}
        className={input}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `offline-contact-${name}-error` : undefined}
        {...props}
      />
      {errors[name] ? (
        <p id={`offline-contact-${name}-error`} className="mt-1 text-sm font-medium text-red-700">
          {errors[name]}
        </p>
      ) : null}
    </div>
  )
  return (
    <form onSubmit={submit} noValidate className={`${card} space-y-3`} aria-labelledby="offline-contact-title">
      <h2 id="offline-contact-title" className="text-base font-semibold">
        Nouveau contact
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        {field('first_name', 'Prénom', { autoComplete: 'off' })}
        {field('last_name', 'Nom', { autoComplete: 'off' })}
        {field('job_title', 'Fonction', { autoComplete: 'off' })}
        {field('phone', 'Téléphone', { type: 'tel', inputMode: 'tel', autoComplete: 'off' })}
        {field('email', 'E-mail', { type: 'email', inputMode: 'email', autoComplete: 'off' })}
        {organisationId ? null : (
          <div>
            <label htmlFor="offline-contact-organisation_id" className="block text-sm font-medium">
              Organisation
            </label>
            <select id="offline-contact-organisation_id" name="organisation_id" className={input} defaultValue="">
              <option value="">Aucune</option>
              {ctx.set.organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <button type="submit" className={primary}>
        Enregistrer le contact
      </button>
      {done ? (
        <p role="status" className="text-sm text-green-800">
          {done}
        </p>
      ) : null}
    </form>
  )
}

type Links = { organisation_id: string | null; deal_id: string | null; contact_id: string | null }

function NoteForm({ ctx, links }: { ctx: Ctx; links: Links }) {
  const [error, setError] = useState('')
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const data = new FormData(form)
    const body = String(data.get('body') ?? '').trim()
    const kind = String(data.get('kind') ?? 'note') as 'note' | 'call' | 'meeting'
    if (!body) return setError('Écrivez la note avant de l’enregistrer.')
    setError('')
    const subject = body.split('\n')[0].slice(0, 120)
    await ctx.add({ kind: 'activity', payload: { id: crypto.randomUUID(), kind, subject, body, occurred_at: new Date().toISOString(), ...links } })
    form.reset()
  }
  return (
    <form onSubmit={submit} noValidate className={`${card} space-y-2`}>
      <h2 className="text-base font-semibold">Ajouter une note ou un échange</h2>
      <label htmlFor="offline-kind" className="block text-sm font-medium">
        Type
      </label>
      <select id="offline-kind" name="kind" className={input} defaultValue="note">
        <option value="note">Note</option>
        <option value="call">Appel</option>
        <option value="meeting">Rendez-vous</option>
      </select>
      <label htmlFor="offline-note" className="block text-sm font-medium">
        Note
      </label>
      <textarea
        id="offline-note"
        name="body"
        rows={3}
        className={input}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'offline-note-error' : undefined}
      />
      {error ? (
        <p id="offline-note-error" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
      <button type="submit" className={primary}>
        Enregistrer la note
      </button>
    </form>
  )
}
