// Which open invoice a bank receipt probably pays: the invoice whose number appears in
// the label (transfers usually carry it), the one whose amount left to pay is exactly the
// receipt, best both. Only proposals: a person confirms each match (or picks another).

export type OpenInvoice = { id: string; number: string; remaining_cents: number; due_date: string | null; organisation_name: string }
export type MatchReason = 'reference_amount' | 'reference' | 'amount'
export type MatchProposal = { invoice: OpenInvoice; reason: MatchReason }

const compact = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '')

/** The invoice number written in the label, with any spacing or punctuation ("2026 F 0012", "2026-F-0012"). */
export function labelCites(label: string, number: string): boolean {
  const n = compact(number)
  if (n.length < 3) return false
  const l = compact(label)
  // Not part of a longer number: "2026F0012" is not cited by "…2026F00123".
  for (let i = l.indexOf(n); i !== -1; i = l.indexOf(n, i + 1)) {
    const before = l[i - 1]
    const after = l[i + n.length]
    if (!(/\d/.test(n[0]) && before && /\d/.test(before)) && !(/\d/.test(n[n.length - 1]) && after && /\d/.test(after))) return true
  }
  return false
}

const RANK: Record<MatchReason, number> = { reference_amount: 0, reference: 1, amount: 2 }

/** Proposals for one receipt, best first (then the oldest due date). */
export function proposeMatches(line: { label: string; amount_cents: number }, open: OpenInvoice[]): MatchProposal[] {
  const out: MatchProposal[] = []
  for (const inv of open) {
    const cited = labelCites(line.label, inv.number)
    const same = inv.remaining_cents === line.amount_cents
    if (cited && same) out.push({ invoice: inv, reason: 'reference_amount' })
    else if (cited && line.amount_cents <= inv.remaining_cents) out.push({ invoice: inv, reason: 'reference' })
    else if (same) out.push({ invoice: inv, reason: 'amount' })
  }
  return out.sort((a, b) => RANK[a.reason] - RANK[b.reason] || (a.invoice.due_date ?? '').localeCompare(b.invoice.due_date ?? ''))
}
