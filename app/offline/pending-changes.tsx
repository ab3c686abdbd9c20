import { useState } from 'react'
import { formatDate, formatDateTime } from '~/utils/format'
import { formatEuros } from '../../domain/shared/money'
import { replayQueue } from './replay'
import { putEntry, removeEntry } from './store'
import type { ConflictFields, DealEditable, QueueEntry } from './types'
import { useOfflineStore } from './use-offline'

// Changes the server did not take as they were: a conflict (the deal moved on since the
// device's copy — the rep compares field by field and chooses) or a refusal (deleted,
// rights lost, invalid — the server's message stays until dismissed). Never dropped silently.

const btn =
  'inline-flex min-h-[48px] items-center justify-center rounded-md px-4 text-sm font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'

const FIELD_LABEL: Record<keyof ConflictFields, string> = {
  title: 'Intitulé',
  amount_cents: 'Montant',
  expected_close_date: 'Clôture prévue',
  stage: 'Étape',
  due_at: 'Échéance',
}

function show(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (field === 'amount_cents') return formatEuros(Number(v))
  if (field === 'expected_close_date') return formatDate(String(v))
  if (field === 'due_at') return formatDateTime(String(v))
  return String(v)
}

const KIND_LABEL: Record<QueueEntry['kind'], string> = {
  activity: 'Note',
  'task-complete': 'Tâche terminée',
  'task-create': 'Nouvelle tâche',
  'task-reschedule': 'Tâche reportée',
  'deal-stage': 'Changement d’étape',
  'deal-update': 'Modification d’affaire',
  'contact-create': 'Nouveau contact',
}

export function PendingChanges() {
  const { queue } = useOfflineStore()
  const troubled = queue.filter((e) => e.state !== 'pending')
  if (!troubled.length) return null
  return (
    <section aria-labelledby="offline-troubles" className="mb-4 space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4" lang="fr">
      <h2 id="offline-troubles" className="text-base font-semibold text-amber-950">
        Modifications faites hors ligne à revoir
      </h2>
      {troubled.map((e) => (e.state === 'conflict' ? <Conflict key={e.seq} entry={e} /> : <Rejected key={e.seq} entry={e} />))}
    </section>
  )
}

function Rejected({ entry }: { entry: QueueEntry }) {
  return (
    <div className="rounded-md border border-red-300 bg-white p-3">
      <p className="text-sm font-semibold text-red-900">{KIND_LABEL[entry.kind]} refusée</p>
      <p className="mt-1 text-sm text-slate-800">{entry.message}</p>
      <button type="button" className={`${btn} mt-2 bg-white text-slate-800 ring-1 ring-inset ring-slate-300`} onClick={() => void removeEntry(entry.seq!)}>
        Ignorer cette modification
      </button>
    </div>
  )
}

function Conflict({ entry }: { entry: QueueEntry }) {
  const current = entry.current!
  const mine: Record<string, unknown> =
    entry.kind === 'deal-update'
      ? { ...entry.payload.fields }
      : entry.kind === 'deal-stage'
        ? { stage: entry.payload.stage }
        : entry.kind === 'task-reschedule'
          ? { due_at: entry.payload.due_at }
          : {}
  const fields = Object.keys(mine) as (keyof typeof FIELD_LABEL)[]
  const [choice, setChoice] = useState<Record<string, 'mine' | 'theirs'>>(() => Object.fromEntries(fields.map((f) => [f, 'mine'])))

  async function resend(keep: (f: string) => boolean) {
    const chosen = fields.filter(keep)
    if (!chosen.length) return removeEntry(entry.seq!) // theirs everywhere: nothing left to send
    const version = current.version
    if (entry.kind === 'deal-update') {
      const picked = Object.fromEntries(chosen.map((f) => [f, mine[f]])) as Partial<DealEditable>
      await putEntry({ ...entry, state: 'pending', message: undefined, current: undefined, payload: { ...entry.payload, version, fields: picked } })
    } else if (entry.kind === 'deal-stage') {
      await putEntry({ ...entry, state: 'pending', message: undefined, current: undefined, payload: { ...entry.payload, version } })
    } else if (entry.kind === 'task-reschedule') {
      // Mine, knowingly over theirs: the date they set becomes the one this change replaces.
      const from = current.fields.due_at ?? null
      await putEntry({ ...entry, state: 'pending', message: undefined, current: undefined, payload: { ...entry.payload, version, from_due_at: from } })
    }
    // The same command id: the refused attempt claimed nothing on the server.
    void replayQueue()
  }

  return (
    <div className="rounded-md border border-amber-400 bg-white p-3">
      <p className="text-sm font-semibold text-amber-950">{KIND_LABEL[entry.kind]} : la fiche a changé entre-temps</p>
      <p className="mt-1 text-sm text-slate-700">{entry.message}</p>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Votre version et celle du serveur, champ par champ</caption>
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-2">
                Champ
              </th>
              <th scope="col" className="py-1 pr-2">
                Ma version
              </th>
              <th scope="col" className="py-1">
                Version actuelle
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f} className="border-t border-slate-100 align-top">
                <th scope="row" className="py-2 pr-2 font-medium">
                  {FIELD_LABEL[f]}
                </th>
                <td className="py-2 pr-2">
                  <label className="flex min-h-[48px] items-center gap-2">
                    <input
                      type="radio"
                      name={`pick-${entry.seq}-${f}`}
                      checked={choice[f] === 'mine'}
                      onChange={() => setChoice({ ...choice, [f]: 'mine' })}
                      className="h-5 w-5"
                    />
                    <span>
                      {show(f, mine[f])}
                      <span className="sr-only"> (ma version de {FIELD_LABEL[f]})</span>
                    </span>
                  </label>
                </td>
                <td className="py-2">
                  <label className="flex min-h-[48px] items-center gap-2">
                    <input
                      type="radio"
                      name={`pick-${entry.seq}-${f}`}
                      checked={choice[f] === 'theirs'}
                      onChange={() => setChoice({ ...choice, [f]: 'theirs' })}
                      className="h-5 w-5"
                    />
                    <span>
                      {show(f, current.fields[f])}
                      <span className="sr-only"> (version actuelle de {FIELD_LABEL[f]})</span>
                    </span>
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-2 flex flex-wrap gap-2">
        <button type="button" className={`${btn} bg-indigo-700 text-white`} onClick={() => void resend(() => true)}>
          Garder ma version
        </button>
        <button type="button" className={`${btn} bg-white text-slate-800 ring-1 ring-inset ring-slate-300`} onClick={() => void resend(() => false)}>
          Garder la leur
        </button>
        {fields.length > 1 ? (
          <button
            type="button"
            className={`${btn} bg-white text-slate-800 ring-1 ring-inset ring-slate-300`}
            onClick={() => void resend((f) => choice[f] === 'mine')}
          >
            Fusionner selon mes choix
          </button>
        ) : null}
      </div>
    </div>
  )
}
