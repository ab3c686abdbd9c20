import { sql } from 'kysely'
import { z } from 'zod'
import { ORGANISATION_STATUSES, type OrganisationFields } from '../../domain/crm/organisation'
import { validateOrganisationFields } from '../../domain/crm/organisation.decide'
import type { Auth } from './auth.server'
import { field } from './form-schema.server'
import { visibleTo } from './visibility.server'

/** Tags typed in one field, comma- or line-separated: trimmed, empty ones and repeats left out. */
export function tagsField() {
  return z
    .string()
    .optional()
    .transform((v) => [
      ...new Set(
        (v ?? '')
          .split(/[,\n]/)
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
}

/**
 * Fields a form did not post at all stay as stored (undefined for the command), while a
 * posted empty field clears them: an older form or another screen never wipes tags or notes.
 */
export function onlyPosted<T extends object>(form: FormData, value: T, optional: readonly (keyof T & string)[]): T {
  const out = { ...value }
  for (const k of optional) if (!form.has(k)) (out as Record<string, unknown>)[k] = undefined
  return out
}

/** The organisation form's fields as the domain command takes them (parseForm; the domain validates them). */
export const organisationFormSchema = z.object({
  name: field.text(),
  siren: field.optionalText(),
  siret: field.optionalText(),
  vat_number: field.optionalText(),
  address: field.optionalText(),
  postal_code: field.optionalText(),
  city: field.optionalText(),
  sector: field.optionalText(),
  size: field.optionalText(),
  status: field.oneOf(ORGANISATION_STATUSES, 'status.unknown'),
  owner_id: field.optionalText(),
  phone: field.optionalText(),
  website: field.optionalText(),
  email: field.optionalText(),
  tags: tagsField(),
  notes: field.optionalText(),
}) satisfies z.ZodType<OrganisationFields, z.ZodTypeDef, unknown>

/**
 * An owner the actor may assign: nobody, one of `assignable`, or the record's current
 * owner left unchanged. Returns whether it is allowed.
 */
export function ownerAllowed(ownerId: string | null, assignable: { id: string }[], currentOwner?: string | null): boolean {
  return ownerId === null || ownerId === currentOwner || assignable.some((o) => o.id === ownerId)
}

export type DuplicateOrganisation = { id: string; name: string; city: string | null; siren: string | null; sameSiren: boolean }
export type Duplicates = { visible: DuplicateOrganisation[]; hidden: number }

/**
 * Organisations of the workspace that look like the one about to be created: same
 * SIREN, or a name whose trigram similarity (accents and case folded) is above 0.6.
 * Those this user may not read are only counted, never named.
 */
export async function findDuplicateOrganisations(auth: Auth, input: OrganisationFields): Promise<Duplicates> {
  let fields: OrganisationFields
  try {
    fields = validateOrganisationFields(input)
  } catch {
    return { visible: [], hidden: 0 } // the command will report the field errors
  }
  const col = sql<string>`f_unaccent(lower(organisations.name))`
  const q = sql<string>`f_unaccent(lower(${fields.name}))`
  // `%` (similarity ≥ 0.3) lets the trigram GIN index find candidates; > 0.6 decides.
  const similar = sql<boolean>`(${col} % ${q} and similarity(${col}, ${q}) > 0.6)`
  const matching = () =>
    auth.tenant
      .selectFrom('organisations')
      .where('organisations.deleted_at', 'is', null)
      .where((eb) => (fields.siren ? eb.or([eb('organisations.siren', '=', fields.siren), similar]) : similar))
  const [visible, all] = await Promise.all([
    matching()
      .where(visibleTo(auth.actor, 'organisations'))
      .select(['organisations.id', 'organisations.name', 'organisations.city', 'organisations.siren'])
      .orderBy(sql`similarity(${col}, ${q})`, 'desc')
      .orderBy('organisations.name')
      .limit(5)
      .execute(),
    matching()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return {
    visible: visible.map((o) => ({ ...o, sameSiren: !!fields.siren && o.siren === fields.siren })),
    hidden: Math.max(0, Number(all.n) - visible.length),
  }
}
