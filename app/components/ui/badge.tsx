import type { ReactNode } from 'react'

const tones = {
  slate: 'bg-slate-100 text-slate-800 ring-slate-300',
  indigo: 'bg-indigo-50 text-indigo-800 ring-indigo-300',
  green: 'bg-green-50 text-green-800 ring-green-300',
  red: 'bg-red-50 text-red-800 ring-red-300',
  amber: 'bg-amber-50 text-amber-900 ring-amber-300',
}
export type BadgeTone = keyof typeof tones

export function Badge({ tone = 'slate', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>{children}</span>
}

/** Open stages indigo, won green, lost red. */
export function StageBadge({ label, kind }: { label: string; kind: 'open' | 'won' | 'lost' | undefined }) {
  return <Badge tone={kind === 'won' ? 'green' : kind === 'lost' ? 'red' : 'indigo'}>{label}</Badge>
}

/** Organisation status colours: prospects amber, clients green, former clients grey. */
export const STATUS_TONE = { prospect: 'amber', client: 'green', ancien_client: 'slate' } as const satisfies Record<string, BadgeTone>
