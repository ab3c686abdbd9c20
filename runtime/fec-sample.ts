import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import type { Db } from '../db/kysely.js'
import { checkFec, fecChunks, fecFileName, type FecCheck, type FecEncoding, type FecPeriod } from '../domain/accounting/fec.js'
import { loadCompanySettings } from '../domain/sales/company-settings.js'
import { parisDay } from '../domain/shared/paris-time.js'

// What `npm run fec:sample` writes: the FEC of the last fiscal year closed before a day,
// checked first, streamed to `<SIREN>FEC<AAAAMMJJ>.txt` in a folder. The demo's fiscal
// year is the calendar year (its company settings carry no other closing date).

/** The calendar year before the one `asOf` falls in (Paris time). */
export function lastClosedFiscalYear(asOf: Date): FecPeriod {
  const year = Number(parisDay(asOf).slice(0, 4)) - 1
  return { start: `${year}-01-01`, end: `${year}-12-31` }
}

export type FecSample = { file: string; period: FecPeriod; check: FecCheck }

/** Writes the checked FEC of `period` into `outDir`; a failed check writes nothing and throws its problems. */
export async function writeFecFile(db: Db, o: { workspaceId: string; period: FecPeriod; outDir: string; encoding?: FecEncoding }): Promise<FecSample> {
  const { siren } = await loadCompanySettings(db, o.workspaceId)
  if (!siren) throw new Error('Le SIREN de la société manque (Paramètres › Société) : le nom du FEC en dépend.')
  const check = await checkFec(db, o.workspaceId, o.period)
  if (!check.ok) throw new Error(`FEC refusé par son contrôle :\n${check.problems.join('\n')}`)
  fs.mkdirSync(o.outDir, { recursive: true })
  const file = path.join(o.outDir, fecFileName(siren, o.period.end))
  await pipeline(Readable.from(fecChunks(db, o.workspaceId, o.period, { encoding: o.encoding })), fs.createWriteStream(file))
  return { file, period: o.period, check }
}
