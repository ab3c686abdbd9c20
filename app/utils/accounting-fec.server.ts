import type { Auth } from '~/utils/auth.server'
import { translateProblem } from '~/i18n/errors'
import { checkFec, type FecCheck, type FecEncoding, type FecPeriod } from '../../domain/accounting/fec'
import { loadCompanySettings } from '../../domain/sales/company-settings'
import { daysBetween, isIsoDate, parisDay } from '../../domain/shared/paris-time'
import type { Db } from '../../db/kysely'

// The FEC form's request, read the same way by the page (/accounting/fec) and the file
// (/accounting/fec/telecharger): the period, the encoding, then the SIREN and the
// self-check. The file is produced only when all of it passes.

/** "2026-01-31" or "31/01/2026" → "2026-01-31"; anything else null. */
function readDay(s: string | null): string | null {
  const v = (s ?? '').trim()
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v)
  const iso = fr ? `${fr[3]}-${fr[2]}-${fr[1]}` : v
  return isIsoDate(iso) ? iso : null
}

export type FecValues = { du: string; au: string; encodage: FecEncoding }

export type FecRequest =
  | { kind: 'form'; values: FecValues }
  | { kind: 'error'; values: FecValues; status: number; error: string }
  | { kind: 'refused'; values: FecValues; check: FecCheck }
  | { kind: 'ready'; values: FecValues; period: FecPeriod; siren: string; check: FecCheck }

export async function readFecRequest(url: URL, db: Db, auth: Pick<Auth, 'locale' | 'user'>, now: Date): Promise<FecRequest> {
  const year = parisDay(now).slice(0, 4)
  const values: FecValues = {
    du: url.searchParams.get('du') ?? `${year}-01-01`,
    au: url.searchParams.get('au') ?? `${year}-12-31`,
    encodage: url.searchParams.get('encodage') === 'utf8' ? 'utf8' : 'latin9',
  }
  if (!url.searchParams.has('du')) return { kind: 'form', values }
  const start = readDay(values.du)
  const end = readDay(values.au)
  // A fiscal year runs 12 months, the first one up to 24.
  if (!start || !end || end < start || daysBetween(start, end) > 731)
    return { kind: 'error', values, status: 400, error: translateProblem(auth.locale, 'accounting.period.invalid') }
  const ws = auth.user.workspaceId
  const siren = (await loadCompanySettings(db, ws)).siren
  if (!siren) return { kind: 'error', values, status: 422, error: translateProblem(auth.locale, 'accounting.siren.missing') }
  const period = { start, end }
  const check = await checkFec(db, ws, period)
  return check.ok ? { kind: 'ready', values, period, siren, check } : { kind: 'refused', values, check }
}
