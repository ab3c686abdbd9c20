import { useState, type FormEvent, type ReactNode } from 'react'
import { formatDate, formatDateTime } from '~/utils/format'
import { formatEuros, parseEurosToCents, centsToInput } from '../../domain/shared/money'
import { PendingChanges } from './pending-changes'
import { replayQueue, requestBackgroundSync } from './replay'
import type { OfflineActivity, OfflineDeal, OfflineTask, QueueEntry, QueuedChange, WorkingSet } from './types'
import { formatParisTime, useOfflineStore } from './use-offline'

// The rep's records rendered from the device (IndexedDB) when the network is gone: the
// offline page (app/routes/offline.tsx) shows the one asked for (`?from=/deals/…`).
// French only, like the rest of the offline page. Links are plain <a>: offline, the
// service worker sends every navigation back here with its own `from`.

const card = 'rounded-lg border border-slate-200 bg-white p-4 shadow-sm'
const btn =
  'inline-flex min-h-[48px] items-center justify-center rounded-md px-4 text-sm font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'
const primary = `${btn} bg-indigo-700 text-white hover:bg-indigo-800`
const secondary = `${btn} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`
const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 focus:outline-none focus:ring-2 focus:ring-indigo-600'
const link = 'font-medium text-indigo-800 underline-offset-2 hover:underline'

export const PendingBadge = () => <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">en attente</span>

type Ctx = { set: WorkingSet; queue: QueueEntry[]; add: (c: QueuedChange) => Promise<void> }

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
  else if (section === 'contacts' && id) body = <ContactView ctx={ctx} id={id} />
  else if (section === 'tasks') body = <TasksView ctx={ctx} />
  else {
    // Not a record: the offline notice (what works, "Réessayer"), then what the device holds.
    const known = !section || ['organisations', 'deals', 'contacts', 'pipeline'].includes(section)
    return (
      <div className="space-y-4">
        {notice}
        <StatusBar set={set} queue={queue} />
        <PendingChanges />
        {known ? null : <Unavailable />}
        <HomeView ctx={ctx} />
      </div>
    )
  }
  return (
    <div lang="fr" className="space-y-4">
      <StatusBar set={set} queue={queue} />
      <nav aria-label="Hors ligne" className="flex flex-wrap gap-2">
        <a className={secondary} href="/">
          Accueil
        </a>
        <a className={secondary} href="/tasks">
          Tâches
        </a>
      </nav>
      <PendingChanges />
      {body}
    </div>
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

function HomeView({ ctx }: { ctx: Ctx }) {
  const { set } = ctx
  return (
    <>
      <h2 className="text-lg font-bold text-slate-900">Mes données gardées sur cet appareil</h2>
      <TasksList ctx={ctx} />
      <section className={card}>
        <h2 className="text-base font-semibold">Mes affaires en cours</h2>
        <ul className="mt-2 divide-y divide-slate-100">
          {set.deals.map((d) => (
            <li key={d.id} className="py-2">
              <a className={link} href={`/deals/${d.id}`}>
                {d.title}
              </a>
              <span className="block text-sm text-slate-600">
                {d.organisation_name} · {formatEuros(d.amount_cents)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className={card}>
        <h2 className="text-base font-semibold">Mes comptes</h2>
        <ul className="mt-2 divide-y divide-slate-100">
          {set.organisations.map((o) => (
            <li key={o.id} className="py-2">
              <a className={link} href={`/organisations/${o.id}`}>
                {o.name}
              </a>
              {o.city ? <span className="block text-sm text-slate-600">{o.city}</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className={card}>
        <h2 className="text-base font-semibold">Mes contacts</h2>
        <ul className="mt-2 divide-y divide-slate-100">
          {set.contacts.map((c) => (
            <li key={c.id} className="py-2">
              <a className={link} href={`/contacts/${c.id}`}>
                {c.first_name} {c.last_name}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

function AccountView({ ctx, id }: { ctx: Ctx; id: string }) {
  const o = ctx.set.organisations.find((x) => x.id === id)
  if (!o) return <Unavailable what="Cette organisation" />
  const deals = ctx.set.deals.filter((d) => d.organisation_id === id)
  const contacts = ctx.set.contacts.filter((c) => c.organisation_id === id)
  return (
    <>
      <header>
        <h1 className="text-2xl font-bold text-slate-900">{o.name}</h1>
        <p className="text-sm text-slate-600">{[o.city, o.siren ? `SIREN ${o.siren}` : null].filter(Boolean).join(' · ')}</p>
      </header>
      {deals.length ? (
        <section className={card}>
          <h2 className="text-base font-semibold">Affaires en cours</h2>
          <ul className="mt-2 space-y-1">
            {deals.map((d) => (
              <li key={d.id}>
                <a className={link} href={`/deals/${d.id}`}>
                  {d.title}
                </a>{' '}
                · {formatEuros(dealWithPending(ctx, d).amount_cents)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {contacts.length ? (
        <section className={card}>
          <h2 className="text-base font-semibold">Contacts</h2>
          <ul className="mt-2 space-y-1">
            {contacts.map((c) => (
              <li key={c.id}>
                <a className={link} href={`/contacts/${c.id}`}>
                  {c.first_name} {c.last_name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <TasksList ctx={ctx} filter={(t) => t.organisation_id === id} />
      <NoteForm ctx={ctx} links={{ organisation_id: id, deal_id: null, contact_id: null }} />
      <Timeline ctx={ctx} match={(a) => a.organisation_id === id} />
    </>
  )
}

function dealWithPending(ctx: Ctx, d: OfflineDeal): OfflineDeal & { pending: boolean } {
  let out = { ...d, pending: false }
  for (const e of ctx.queue) {
    if (e.state === 'rejected' || !('id' in e.payload) || e.payload.id !== d.id) continue
    if (e.kind === 'deal-update') out = { ...out, ...e.payload.fields, pending: true } as typeof out
    if (e.kind === 'deal-stage') out = { ...out, stage: e.payload.stage, pending: true }
  }
  return out
}

function DealView({ ctx, id }: { ctx: Ctx; id: string }) {
  const base = ctx.set.deals.find((x) => x.id === id)
  if (!base) return <Unavailable what="Cette affaire" />
  const d = dealWithPending(ctx, base)
  const stage = ctx.set.stages.find((s) => s.code === d.stage)
  return (
    <>
      <header>
        <h1 className="text-2xl font-bold text-slate-900">
          {d.title}
          {d.pending ? <PendingBadge /> : null}
        </h1>
        <p className="text-sm text-slate-600">
          <a className={link} href={`/organisations/${d.organisation_id}`}>
            {d.organisation_name}
          </a>
        </p>
      </header>
      <section className={card}>
        <dl className="grid grid-cols-2 gap-2 text-sm">
          <dt className="text-slate-600">Montant</dt>
          <dd className="font-semibold">{formatEuros(d.amount_cents)}</dd>
          <dt className="text-slate-600">Étape</dt>
          <dd>{stage?.label ?? d.stage}</dd>
          <dt className="text-slate-600">Clôture prévue</dt>
          <dd>{d.expected_close_date ? formatDate(d.expected_close_date) : '—'}</dd>
        </dl>
      </section>
      <DealEdit ctx={ctx} deal={d} />
      <TasksList ctx={ctx} filter={(t) => t.deal_id === id} />
      <NoteForm ctx={ctx} links={{ organisation_id: d.organisation_id, deal_id: id, contact_id: null }} />
      <Timeline ctx={ctx} match={(a) => a.deal_id === id} />
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
  const c = ctx.set.contacts.find((x) => x.id === id)
  if (!c) return <Unavailable what="Ce contact" />
  const org = ctx.set.organisations.find((o) => o.id === c.organisation_id)
  return (
    <>
      <header>
        <h1 className="text-2xl font-bold text-slate-900">
          {c.first_name} {c.last_name}
        </h1>
        <p className="text-sm text-slate-600">
          {c.job_title}
          {org ? (
            <>
              {c.job_title ? ' · ' : ''}
              <a className={link} href={`/organisations/${org.id}`}>
                {org.name}
              </a>
            </>
          ) : null}
        </p>
      </header>
      <section className={card}>
        <ul className="space-y-2">
          {c.phones.map((p) => (
            <li key={p}>
              <a className={link} href={`tel:${p.replace(/\s/g, '')}`}>
                {p}
              </a>
            </li>
          ))}
          {c.emails.map((m) => (
            <li key={m}>
              <a className={link} href={`mailto:${m}`}>
                {m}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <NoteForm ctx={ctx} links={{ organisation_id: c.organisation_id, deal_id: null, contact_id: id }} />
      <Timeline ctx={ctx} match={(a) => a.contact_id === id} />
    </>
  )
}

function TasksView({ ctx }: { ctx: Ctx }) {
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Mes tâches du jour et en retard</h1>
      <TasksList ctx={ctx} title={null} />
      <NewTaskForm ctx={ctx} />
    </>
  )
}

function TasksList({ ctx, filter = () => true, title = 'Tâches' }: { ctx: Ctx; filter?: (t: OfflineTask) => boolean; title?: string | null }) {
  const completed = new Set(pendingOf(ctx.queue, 'task-complete').map((e) => e.payload.id))
  const created = pendingOf(ctx.queue, 'task-create').map((e): OfflineTask & { pending: true } => ({
    ...e.payload,
    all_day: false,
    priority: 'normale',
    status: 'a_faire',
    contact_id: null,
    version: 0,
    pending: true,
  }))
  const tasks = [...ctx.set.tasks, ...created].filter(filter)
  if (!tasks.length && title) return null
  return (
    <section className={card} aria-label={title ?? 'Tâches'}>
      {title ? <h2 className="text-base font-semibold">{title}</h2> : null}
      {tasks.length ? (
        <ul className="mt-2 divide-y divide-slate-100">
          {tasks.map((t) => {
            const done = completed.has(t.id)
            return (
              <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className={done ? 'text-slate-500 line-through' : ''}>
                  {t.title}
                  {'pending' in t || done ? <PendingBadge /> : null}
                  {t.due_at ? <span className="block text-xs text-slate-600">Échéance {formatDateTime(t.due_at)}</span> : null}
                </span>
                {done ? (
                  <span className="text-sm text-slate-600">Terminée</span>
                ) : 'pending' in t ? null : (
                  <button type="button" className={secondary} onClick={() => void ctx.add({ kind: 'task-complete', payload: { id: t.id } })}>
                    Terminer<span className="sr-only"> : {t.title}</span>
                  </button>
                )}
              </li>
            )
          })}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-600">Aucune tâche pour aujourd’hui.</p>
      )}
    </section>
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

const KIND_LABEL: Record<string, string> = { note: 'Note', call: 'Appel', meeting: 'Rendez-vous', email: 'E-mail' }

function Timeline({ ctx, match }: { ctx: Ctx; match: (a: OfflineActivity) => boolean }) {
  const pending = pendingOf(ctx.queue, 'activity').map((e) => ({ ...e.payload, author_name: ctx.set.user.fullName, pending: true }))
  const items: (OfflineActivity & { pending?: boolean })[] = [...pending.reverse(), ...ctx.set.activities].filter(match)
  return (
    <section className={card}>
      <h2 className="text-base font-semibold">Activités</h2>
      {items.length ? (
        <ol className="mt-2 space-y-3">
          {items.map((a) => (
            <li key={a.id} className="border-l-2 border-slate-200 pl-3">
              <p className="text-sm font-medium text-slate-900">
                {KIND_LABEL[a.kind] ?? a.kind} · {a.subject}
                {a.pending ? <PendingBadge /> : null}
              </p>
              <p className="text-xs text-slate-600">
                {formatDateTime(a.occurred_at)}
                {a.author_name ? ` · ${a.author_name}` : ''}
              </p>
              {a.body && a.body !== a.subject ? <p className="mt-1 whitespace-pre-line text-sm text-slate-800">{a.body}</p> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-2 text-sm text-slate-600">Aucune activité gardée sur l’appareil.</p>
      )}
    </section>
  )
}
