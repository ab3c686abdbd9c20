import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import type { Contact, Organisation, OrganisationStatus } from '../../../db/schema.js'
import { DomainError, NotFoundError, problemsOf, ValidationError, type Problem } from '../../shared/errors.js'
import type { CommandContext } from '../../shared/events.js'
import { normaliseDigits } from '../french-ids.js'
import type { ContactFields } from '../contact.js'
import { createContactCommand, updateContactCommand } from '../contact.commands.js'
import { validateContactFields } from '../contact.decide.js'
import { createOrganisationCommand, updateOrganisationCommand } from '../crm.commands.js'
import type { OrganisationFields } from '../organisation.js'
import { validateOrganisationFields } from '../organisation.decide.js'
import { parseCsvText, readCsv } from './csv.js'
import { withoutControls, type TextEncodingName } from './decode-text.js'
import { excelPostalCode, isExcelScientific } from './excel-repairs.js'
import { guessMapping, type ImportEntity, TARGETS, yes } from './import-targets.js'

/** A row the import leaves out, and why (codes: the page translates them). */
export type RejectedRow = { line: number; reason: Problem[] }
export type ImportReport = {
  /** Rows imported with a repair the user should know of (a postal code Excel shortened). */
  corrected?: RejectedRow[]
  /** How the file was read (decode-text.ts). */
  encoding?: TextEncodingName
  total: number
  valid: number
  toCreate: number
  toUpdate: number
  unchanged: number
  rejected: RejectedRow[]
}
export type Mapping = Record<string, string | null>

type Planned =
  | { kind: 'create'; line: number; fields: OrganisationFields | ContactFields }
  | { kind: 'update' | 'unchanged'; line: number; id: string; version: number; fields: OrganisationFields | ContactFields }

const STATUS: Record<string, OrganisationStatus> = {
  prospect: 'prospect',
  client: 'client',
  ancienclient: 'ancien_client',
  ancien_client: 'ancien_client',
  former: 'ancien_client',
  exclient: 'ancien_client',
}
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
const sameFields = (a: object, b: object) =>
  Object.entries(a).every(([k, v]) => v === undefined || JSON.stringify(v) === JSON.stringify((b as Record<string, unknown>)[k]))

/** Works out, row by row, what the import would do. Reads only; writes nothing. */
async function plan(
  db: Db,
  workspaceId: string,
  entity: ImportEntity,
  rows: string[][],
  mapping: Mapping,
): Promise<{ planned: Planned[]; report: ImportReport }> {
  const missing = TARGETS[entity].filter((f) => f.required && !Object.values(mapping).includes(f.key))
  if (missing.length) throw new ValidationError({ mapping: { code: 'import.mapping.missing', params: { fields: missing.map((f) => f.label).join(', ') } } })
  const users = await db.selectFrom('users').select(['id', 'email']).where('workspace_id', '=', workspaceId).execute()
  const userByEmail = new Map(users.map((u) => [u.email.toLowerCase(), u.id]))
  const rejected: RejectedRow[] = []
  const corrected: RejectedRow[] = []
  const planned: Planned[] = []
  const seen = new Map<string, number>()

  const get = (row: string[], key: string) => {
    const col = Object.entries(mapping).find(([, f]) => f === key)?.[0]
    const v = col === undefined ? undefined : row[Number(col)]?.trim()
    return v === '' ? undefined : v
  }
  const owner = (row: string[], line: number) => {
    const email = get(row, 'owner_email')
    if (!email) return { ok: true as const, id: undefined }
    const id = userByEmail.get(email.toLowerCase())
    if (!id) {
      rejected.push({ line, reason: [{ code: 'import.row.owner.unknown', params: { value: email } }] })
      return { ok: false as const }
    }
    return { ok: true as const, id }
  }

  if (entity === 'organisations') {
    const existing = await db.selectFrom('organisations').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).execute()
    const bySiren = new Map(existing.filter((o) => o.siren).map((o) => [o.siren!, o]))
    const byName = new Map(existing.map((o) => [fold(o.name), o]))
    rows.forEach((row, i) => {
      const line = i + 2
      const o = owner(row, line)
      if (!o.ok) return
      // Excel turns a SIREN/SIRET into "8,32289E+13": the digits are gone, so the row is refused with how to avoid it.
      const sci = (['siren', 'siret'] as const).find((k) => isExcelScientific(get(row, k)))
      if (sci)
        return void rejected.push({ line, reason: [{ code: 'import.row.scientific_number', params: { field: sci.toUpperCase(), value: get(row, sci)! } }] })
      const postal = excelPostalCode(get(row, 'postal_code'))
      if (postal.corrected)
        corrected.push({ line, reason: [{ code: 'import.row.postal_code.padded', params: { from: get(row, 'postal_code')!, to: postal.value! } }] })
      const statusRaw = get(row, 'status')
      const status = statusRaw ? STATUS[fold(statusRaw).replace(/[^a-z_]/g, '')] : undefined
      if (statusRaw && !status) return void rejected.push({ line, reason: [{ code: 'import.row.status.unknown', params: { value: statusRaw } }] })
      let fields: OrganisationFields
      try {
        fields = validateOrganisationFields({
          name: get(row, 'name') ?? '',
          siren: get(row, 'siren') ?? null,
          siret: get(row, 'siret') ?? null,
          vat_number: get(row, 'vat_number') ?? null,
          address: get(row, 'address') ?? null,
          postal_code: postal.value ?? null,
          city: get(row, 'city') ?? null,
          sector: get(row, 'sector') ?? null,
          size: get(row, 'size') ?? null,
          status: status ?? 'prospect',
          owner_id: o.id ?? null,
          tags: get(row, 'tags')?.split(/[,|]/) ?? undefined,
          phone: get(row, 'phone') ?? undefined,
          email: get(row, 'email') ?? undefined,
          website: get(row, 'website') ?? undefined,
        })
      } catch (e) {
        return void rejected.push({ line, reason: problemsOf(e) })
      }
      const key = fields.siren ? `siren:${fields.siren}` : `name:${fold(fields.name)}`
      if (seen.has(key)) return void rejected.push({ line, reason: [{ code: 'import.row.duplicate', params: { line: seen.get(key)! } }] })
      seen.set(key, line)
      const match: Organisation | undefined = (fields.siren && bySiren.get(fields.siren)) || byName.get(fold(fields.name))
      if (!match) return void planned.push({ kind: 'create', line, fields })
      // Empty or unmapped cells keep what the CRM already knows.
      const merged: OrganisationFields = {
        name: fields.name,
        siren: fields.siren ?? match.siren,
        siret: fields.siret ?? match.siret,
        vat_number: fields.vat_number ?? match.vat_number,
        address: fields.address ?? match.address,
        postal_code: fields.postal_code ?? match.postal_code,
        city: fields.city ?? match.city,
        sector: fields.sector ?? match.sector,
        size: fields.size ?? match.size,
        status: status ?? match.status,
        owner_id: o.id ?? match.owner_id,
        tags: fields.tags ? [...new Set([...match.tags, ...fields.tags])] : undefined,
        phone: fields.phone ?? undefined,
        email: fields.email ?? undefined,
        website: fields.website ?? undefined,
      }
      planned.push({ kind: sameFields(merged, match) ? 'unchanged' : 'update', line, id: match.id, version: match.version, fields: merged })
    })
  } else {
    const orgs = await db
      .selectFrom('organisations')
      .select(['id', 'name', 'siren'])
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .execute()
    const orgBySiren = new Map(orgs.filter((o) => o.siren).map((o) => [o.siren!, o.id]))
    const orgByName = new Map(orgs.map((o) => [fold(o.name), o.id]))
    const existing = await db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).execute()
    const byEmail = new Map<string, Contact>()
    for (const c of existing) for (const e of c.emails) byEmail.set(e, c)
    rows.forEach((row, i) => {
      const line = i + 2
      const o = owner(row, line)
      if (!o.ok) return
      const orgRef = get(row, 'organisation')
      if (isExcelScientific(orgRef))
        return void rejected.push({ line, reason: [{ code: 'import.row.scientific_number', params: { field: 'SIREN', value: orgRef! } }] })
      // A phone without its leading zero ("612345678") still reads as French; in scientific notation its digits are gone.
      if (isExcelScientific(get(row, 'phone')))
        return void rejected.push({ line, reason: [{ code: 'import.row.scientific_number', params: { field: 'Téléphone', value: get(row, 'phone')! } }] })
      let organisation_id: string | null = null
      if (orgRef) {
        const digits = normaliseDigits(orgRef)
        organisation_id = (/^\d{9}$/.test(digits) ? orgBySiren.get(digits) : orgByName.get(fold(orgRef))) ?? null
        if (!organisation_id) return void rejected.push({ line, reason: [{ code: 'import.row.organisation.not_found', params: { value: orgRef } }] })
      }
      const civilityRaw = get(row, 'civility')
      const civility = civilityRaw ? (/^(mme|madame|mlle)/i.test(civilityRaw) ? 'Mme' : /^(m\.?|mr|monsieur)$/i.test(civilityRaw) ? 'M.' : civilityRaw) : null
      let fields: ContactFields
      try {
        fields = validateContactFields({
          civility,
          first_name: get(row, 'first_name') ?? '',
          last_name: get(row, 'last_name') ?? '',
          job_title: get(row, 'job_title') ?? null,
          emails: get(row, 'email') ? [get(row, 'email')!] : [],
          phones: get(row, 'phone') ? [get(row, 'phone')!] : [],
          organisation_id,
          owner_id: o.id ?? null,
          shared: false,
          gdpr_consent: yes(get(row, 'gdpr_consent')),
          consent_source: get(row, 'consent_source') ?? (yes(get(row, 'gdpr_consent')) ? 'Import CSV' : null),
          consent_date: null,
          marketing_opt_out: yes(get(row, 'marketing_opt_out')),
        })
      } catch (e) {
        return void rejected.push({ line, reason: problemsOf(e) })
      }
      const key = fields.emails[0] ? `email:${fields.emails[0]}` : `name:${fold(fields.first_name)}|${fold(fields.last_name)}|${organisation_id}`
      if (seen.has(key)) return void rejected.push({ line, reason: [{ code: 'import.row.duplicate', params: { line: seen.get(key)! } }] })
      seen.set(key, line)
      const match =
        (fields.emails[0] && byEmail.get(fields.emails[0])) ||
        existing.find(
          (c) => fold(c.first_name) === fold(fields.first_name) && fold(c.last_name) === fold(fields.last_name) && c.organisation_id === organisation_id,
        )
      if (!match) return void planned.push({ kind: 'create', line, fields })
      const merged: ContactFields = {
        civility: fields.civility ?? match.civility,
        first_name: fields.first_name,
        last_name: fields.last_name,
        job_title: fields.job_title ?? match.job_title,
        emails: [...new Set([...match.emails, ...fields.emails])],
        phones: [...new Set([...match.phones, ...fields.phones])],
        organisation_id: organisation_id ?? match.organisation_id,
        owner_id: o.id ?? match.owner_id,
        shared: match.shared,
        gdpr_consent: match.gdpr_consent || fields.gdpr_consent,
        consent_source: match.consent_source ?? fields.consent_source,
        consent_date: match.consent_date,
        marketing_opt_out: match.marketing_opt_out || fields.marketing_opt_out,
      }
      planned.push({ kind: sameFields(merged, match) ? 'unchanged' : 'update', line, id: match.id, version: match.version, fields: merged })
    })
  }
  rejected.sort((a, b) => a.line - b.line)
  // A row both repaired and refused is reported once, as refused.
  const refused = new Set(rejected.map((r) => r.line))
  const report: ImportReport = {
    corrected: corrected.filter((c) => !refused.has(c.line)),
    total: rows.length,
    valid: planned.length,
    rejected,
    toCreate: planned.filter((p) => p.kind === 'create').length,
    toUpdate: planned.filter((p) => p.kind === 'update').length,
    unchanged: planned.filter((p) => p.kind === 'unchanged').length,
  }
  return { planned, report }
}

const MAX_BYTES = 20 * 1024 * 1024

/** An empty sheet or a header line alone: a sentence for the user, nothing stored. */
export function assertHasRows(table: { headers: string[]; rows: string[][] }) {
  if (!table.headers.some((h) => h !== '')) throw new ValidationError({ file: 'import.file.no_rows' })
  if (!table.rows.length) throw new ValidationError({ file: 'import.file.header_only' })
}

/**
 * Step 1, the dry run: reads the file, applies the mapping (guessed from the headers
 * when not given) and records a report of what would happen. Changes no CRM data.
 */
export async function analyseImport(
  db: Db,
  ctx: CommandContext,
  input: { entity: ImportEntity; fileName: string; bytes: Uint8Array; mapping?: Mapping; importId?: string; encoding?: TextEncodingName },
) {
  if (input.bytes.byteLength === 0) throw new ValidationError({ file: 'import.file.empty' })
  if (input.bytes.byteLength > MAX_BYTES) throw new ValidationError({ file: 'import.file.too_large' })
  const table = readCsv(input.bytes)
  assertHasRows(table)
  const mapping = input.mapping ?? guessMapping(input.entity, table.headers)
  const { report } = await plan(db, ctx.workspaceId, input.entity, table.rows, mapping)
  // A re-analysis reads the stored (UTF-8) copy: the original encoding is carried over.
  report.encoding = input.encoding ?? table.encoding
  const content = table.text
  const id = input.importId ?? randomUUID()
  const row = {
    workspace_id: ctx.workspaceId,
    user_id: ctx.actorId!,
    entity: input.entity,
    file_name: withoutControls(input.fileName).slice(0, 200),
    file_sha256: createHash('sha256').update(input.bytes).digest('hex'),
    content,
    mapping,
    status: 'analysed' as const,
    report: report as unknown as Record<string, unknown>,
  }
  await db
    .insertInto('imports')
    .values({ id, ...row })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ mapping, report: row.report }).where('imports.workspace_id', '=', ctx.workspaceId).where('imports.status', '=', 'analysed'),
    )
    .execute()
  return { importId: id, headers: table.headers, sample: table.rows.slice(0, 3), mapping, report, encoding: table.encoding, delimiter: table.delimiter }
}

/**
 * Step 2, after the user confirmed: applies the valid rows through the same commands
 * as the forms, all in ONE transaction — every row lands or none does. Rejected rows
 * are skipped (the report listed them). Committing twice is refused.
 */
export async function commitImport(db: Db, ctx: CommandContext, importId: string): Promise<ImportReport> {
  return db.transaction().execute(async (trx) => {
    const imp = await trx
      .selectFrom('imports')
      .selectAll()
      .where('id', '=', importId)
      .where('workspace_id', '=', ctx.workspaceId)
      .forUpdate()
      .executeTakeFirst()
    if (!imp) throw new NotFoundError('import.not_found')
    if (imp.status === 'committed') throw new DomainError('import.already_committed', undefined, { status: 409 })
    // Serialises imports of a workspace: two commits at once could both create the same organisation.
    await sql`select pg_advisory_xact_lock(hashtext(${'import:' + ctx.workspaceId}))`.execute(trx)
    const table = parseCsvText(imp.content)
    const { planned, report } = await plan(trx, ctx.workspaceId, imp.entity as ImportEntity, table.rows, imp.mapping as Mapping)
    const c = { ...ctx, source: 'import' as const }
    for (const p of planned) {
      if (p.kind === 'unchanged') continue
      try {
        if (imp.entity === 'organisations') {
          const fields = p.fields as OrganisationFields
          if (p.kind === 'create') await createOrganisationCommand(trx, c, { id: randomUUID(), fields })
          else await updateOrganisationCommand(trx, c, { id: p.id, expectedVersion: p.version, fields })
        } else {
          const fields = p.fields as ContactFields
          if (p.kind === 'create') await createContactCommand(trx, c, { id: randomUUID(), fields })
          else await updateContactCommand(trx, c, { id: p.id, expectedVersion: p.version, fields })
        }
      } catch (e) {
        throw new DomainError({ code: 'import.cancelled', params: { line: p.line, reason: problemsOf(e) } })
      }
    }
    report.encoding = (imp.report as { encoding?: TextEncodingName }).encoding
    await trx
      .updateTable('imports')
      .set({ status: 'committed', committed_at: new Date(), report: report as unknown as Record<string, unknown> })
      .where('id', '=', importId)
      .execute()
    return report
  })
}
