import { createHash } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { appendEvents } from '../shared/run-command.js'
import { ConcurrencyError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { defaultCompanyFields, LOGO_MAX_BYTES, validateCompanyFields, type CompanyFields, type SellerLegalDetails } from './company-settings.rules.js'

export * from './company-settings.rules.js'

// The workspace's legal identity in Postgres (company_settings, company_logos): read by
// the settings page, the quote editor (defaults, mentions) and sendQuoteCommand, which
// freezes it into each sent version.

export type CompanySettings = CompanyFields & {
  workspace_id: string
  logo_sha256: string | null
  /** 0 while the admin has never saved the page (the defaults are shown). */
  version: number
  updated_at: Date | null
}

export const COMPANY_STREAM = 'company_settings'

/** The settings' event stream id: a UUID derived from the workspace's (its own stream already uses that one). */
export function companyStreamId(workspaceId: string): string {
  const h = createHash('sha256').update(`company_settings:${workspaceId}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * The workspace's settings, or defaults from its name when never saved.
 *
 * @example const company = await loadCompanySettings(db, workspaceId) // { company_name, siren, brand_color, … }
 */
export async function loadCompanySettings(db: Db, workspaceId: string, opts: { forUpdate?: boolean } = {}): Promise<CompanySettings> {
  let q = db.selectFrom('company_settings').selectAll().where('workspace_id', '=', workspaceId)
  if (opts.forUpdate) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  if (row) {
    const { updated_by: _by, ...rest } = row
    return { ...rest, updated_at: new Date(row.updated_at) }
  }
  const ws = await db.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirstOrThrow()
  return { ...defaultCompanyFields(ws.name), workspace_id: workspaceId, logo_sha256: null, version: 0, updated_at: null }
}

/** The seller block a sent version freezes (QuoteParties.seller). */
export function sellerFromSettings(s: CompanySettings): SellerLegalDetails & { workspace_id: string; name: string } {
  const { company_name, default_payment_terms: _t, default_validity_days: _d, version: _v, updated_at: _u, ...rest } = s
  return { ...rest, name: company_name }
}

export type LogoUpload = { contentType: string; bytes: Uint8Array }

/** PNG or JPEG by their magic numbers (the browser's declared type is not trusted), ≤ 1 MB. */
export function checkLogo(logo: LogoUpload): { contentType: 'image/png' | 'image/jpeg'; bytes: Buffer } {
  const b = Buffer.from(logo.bytes)
  if (b.length > LOGO_MAX_BYTES)
    throw new ValidationError({ logo: { code: 'company.logo.too_large', params: { size: { decimal: b.length / 1024 / 1024, digits: 1 } } } })
  const png = b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  const jpeg = b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
  if (!png && !jpeg) throw new ValidationError({ logo: 'company.logo.format' })
  return { contentType: png ? 'image/png' : 'image/jpeg', bytes: b }
}

/**
 * Saves the page: fields checked, the logo (if one is uploaded) stored by its hash,
 * the row written if its version is still `expectedVersion` (0 = never saved), and a
 * CompanySettingsChanged event appended — one transaction.
 */
export async function saveCompanySettingsCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { expectedVersion: number; fields: CompanyFields; logo?: LogoUpload | null; removeLogo?: boolean },
): Promise<CompanySettings> {
  const errors: FieldProblems = {}
  let fields: CompanyFields | null = null
  let logo: ReturnType<typeof checkLogo> | null = null
  try {
    fields = validateCompanyFields(cmd.fields)
  } catch (e) {
    if (e instanceof ValidationError) Object.assign(errors, e.fieldErrors)
    else throw e
  }
  try {
    if (cmd.logo) logo = checkLogo(cmd.logo)
  } catch (e) {
    if (e instanceof ValidationError) Object.assign(errors, e.fieldErrors)
    else throw e
  }
  if (Object.keys(errors).length || !fields) throw new ValidationError(errors)

  return db.transaction().execute(async (trx) => {
    const before = await loadCompanySettings(trx, ctx.workspaceId, { forUpdate: true })
    if (before.version !== cmd.expectedVersion) throw new ConcurrencyError()
    let logoSha = cmd.removeLogo ? null : before.logo_sha256
    if (logo) {
      logoSha = createHash('sha256').update(logo.bytes).digest('hex')
      await trx
        .insertInto('company_logos')
        .values({ workspace_id: ctx.workspaceId, sha256: logoSha, content_type: logo.contentType, bytes: logo.bytes })
        .onConflict((oc) => oc.columns(['workspace_id', 'sha256']).doNothing())
        .execute()
    }
    const row = { ...fields!, workspace_id: ctx.workspaceId, logo_sha256: logoSha, version: before.version + 1, updated_at: ctx.now, updated_by: ctx.actorId }
    if (before.version === 0) {
      // Two first saves at once: the primary key lets one win, the other is a concurrency error.
      const r = await trx
        .insertInto('company_settings')
        .values(row)
        .onConflict((oc) => oc.column('workspace_id').doNothing())
        .returning('workspace_id')
        .executeTakeFirst()
      if (!r) throw new ConcurrencyError()
    } else {
      await trx.updateTable('company_settings').set(row).where('workspace_id', '=', ctx.workspaceId).where('version', '=', before.version).execute()
    }
    const changes = Object.fromEntries(Object.entries({ ...fields!, logo_sha256: logoSha }).filter(([k, v]) => (before as Record<string, unknown>)[k] !== v))
    await appendEvents(trx, ctx, COMPANY_STREAM, companyStreamId(ctx.workspaceId), before.version, [
      { type: 'CompanySettingsChanged', data: { at: ctx.now.toISOString(), changes } },
    ])
    return { ...fields!, workspace_id: ctx.workspaceId, logo_sha256: logoSha, version: row.version, updated_at: ctx.now }
  })
}

/** A stored logo of the workspace, by hash (the current one, or one a sent version names). */
export async function loadCompanyLogo(db: Db, workspaceId: string, sha256: string) {
  return db
    .selectFrom('company_logos')
    .select(['content_type', 'bytes', 'sha256'])
    .where('workspace_id', '=', workspaceId)
    .where('sha256', '=', sha256)
    .executeTakeFirst()
}
