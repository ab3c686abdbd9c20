import { DomainError, NotFoundError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import type { Actor } from '../identity/roles.js'
import type { ContactEvent, ContactFields, ContactState } from './contact.js'
import { validateContactFields } from './contact.decide.js'
import type { MergeMoved, OrganisationEvent, OrganisationFields, OrganisationState } from './organisation.js'
import { validateOrganisationFields } from './organisation.decide.js'

// Merging two duplicate records (issue 13). The person chooses, group by group, which of
// the two values the kept record takes; what both can hold at once (tags, e-mails,
// phones) is joined, and a marketing refusal on either side stays a refusal (GDPR).
// Groups keep together what must agree: SIREN and SIRET, the lines of an address.

export type MergeSide = 'kept' | 'other'
export type MergeGroup<R> = { key: string; columns: readonly (keyof R & string)[] }

export const ORGANISATION_MERGE_GROUPS = [
  { key: 'name', columns: ['name'] },
  { key: 'ids', columns: ['siren', 'siret'] },
  { key: 'vat_number', columns: ['vat_number'] },
  { key: 'address', columns: ['address', 'postal_code', 'city'] },
  { key: 'phone', columns: ['phone'] },
  { key: 'email', columns: ['email'] },
  { key: 'website', columns: ['website'] },
  { key: 'sector', columns: ['sector'] },
  { key: 'size', columns: ['size'] },
  { key: 'status', columns: ['status'] },
  { key: 'owner_id', columns: ['owner_id'] },
  { key: 'notes', columns: ['notes'] },
] as const satisfies readonly MergeGroup<OrganisationFields>[]

export const CONTACT_MERGE_GROUPS = [
  { key: 'name', columns: ['civility', 'first_name', 'last_name'] },
  { key: 'job_title', columns: ['job_title'] },
  { key: 'organisation_id', columns: ['organisation_id'] },
  { key: 'owner_id', columns: ['owner_id'] },
  { key: 'consent', columns: ['gdpr_consent', 'consent_source', 'consent_date'] },
  { key: 'notes', columns: ['notes'] },
] as const satisfies readonly MergeGroup<ContactFields>[]

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
const empty = (v: unknown) => v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0)

/** The groups whose values differ between the two records: one radio each on the merge screen. */
export function differingGroups<R>(groups: readonly MergeGroup<R>[], kept: R, other: R): MergeGroup<R>[] {
  return groups.filter((g) => g.columns.some((c) => !same(kept[c], other[c])))
}

/** The side preselected for a group: the kept record's, unless it has nothing there and the other has. */
export function defaultSide<R>(g: MergeGroup<R>, kept: R, other: R): MergeSide {
  return g.columns.every((c) => empty(kept[c])) && g.columns.some((c) => !empty(other[c])) ? 'other' : 'kept'
}

/** The columns of the kept record that change: the groups chosen from the other record, plus the joined lists. */
function chosenChanges<R>(groups: readonly MergeGroup<R>[], kept: R, other: R, choices: Record<string, MergeSide | undefined>): Partial<R> {
  const changes: Partial<R> = {}
  for (const g of differingGroups(groups, kept, other)) {
    const side = choices[g.key] ?? defaultSide(g, kept, other)
    if (side !== 'other') continue
    for (const c of g.columns) if (!same(kept[c], other[c])) changes[c] = other[c]
  }
  return changes
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])]

/** Who may merge two records: admins, managers who may change both, or a commercial owning both. */
export function canMergeRecords(actor: Actor, a: { owner_id: string | null; canWrite: boolean }, b: { owner_id: string | null; canWrite: boolean }) {
  if (actor.role === 'admin') return true
  if (actor.role === 'manager') return a.canWrite && b.canWrite
  if (actor.role === 'commercial') return a.owner_id === actor.id && b.owner_id === actor.id
  return false
}

function checkPair<S extends { id: string; deleted_at: unknown }>(kept: S | null, other: S | null, notFound: 'organisation.not_found' | 'contact.not_found') {
  if (!kept || kept.deleted_at || !other || other.deleted_at) throw new NotFoundError(notFound)
  if (kept.id === other.id) throw new DomainError('merge.same_record')
}

const organisationFieldsOf = (s: OrganisationState): OrganisationFields => ({
  name: s.name,
  siren: s.siren,
  siret: s.siret,
  vat_number: s.vat_number,
  address: s.address,
  postal_code: s.postal_code,
  city: s.city,
  sector: s.sector,
  size: s.size,
  status: s.status,
  owner_id: s.owner_id,
  shared: s.shared,
  tags: s.tags,
  notes: s.notes,
  phone: s.phone,
  website: s.website,
  email: s.email,
})

/** The values the kept organisation takes (only those that change); throws a ValidationError if they do not fit together. */
export function organisationMergeChanges(kept: OrganisationState, other: OrganisationState, choices: Record<string, MergeSide | undefined>) {
  const k = organisationFieldsOf(kept)
  const o = organisationFieldsOf(other)
  const changes: Partial<OrganisationFields> = chosenChanges(ORGANISATION_MERGE_GROUPS, k, o, choices)
  const tags = union(k.tags ?? [], o.tags ?? [])
  if (!same(tags, k.tags)) changes.tags = tags
  if (o.shared && !k.shared) changes.shared = true
  validateOrganisationFields({ ...k, ...changes })
  return changes
}

export function mergeOrganisations(
  kept: OrganisationState | null,
  other: OrganisationState | null,
  cmd: { choices: Record<string, MergeSide | undefined>; moved: MergeMoved },
  ctx: CommandContext,
): { kept: OrganisationEvent[]; other: OrganisationEvent[] } {
  checkPair(kept, other, 'organisation.not_found')
  const at = ctx.now.toISOString()
  const changes = organisationMergeChanges(kept!, other!, cmd.choices)
  return {
    kept: [{ type: 'OrganisationsMerged', data: { id: kept!.id, at, merged_id: other!.id, changes, moved: cmd.moved } }],
    other: [{ type: 'OrganisationMergedInto', data: { id: other!.id, at, into_id: kept!.id } }],
  }
}

const contactFieldsOf = (s: ContactState): ContactFields => ({
  civility: s.civility,
  first_name: s.first_name,
  last_name: s.last_name,
  job_title: s.job_title,
  emails: s.emails,
  phones: s.phones,
  organisation_id: s.organisation_id,
  owner_id: s.owner_id,
  shared: s.shared,
  gdpr_consent: s.gdpr_consent,
  consent_source: s.consent_source,
  consent_date: s.consent_date,
  marketing_opt_out: s.marketing_opt_out,
  tags: s.tags,
  notes: s.notes,
})

export function contactMergeChanges(kept: ContactState, other: ContactState, choices: Record<string, MergeSide | undefined>) {
  const k = contactFieldsOf(kept)
  const o = contactFieldsOf(other)
  const changes: Partial<ContactFields> = chosenChanges(CONTACT_MERGE_GROUPS, k, o, choices)
  for (const list of ['emails', 'phones', 'tags'] as const) {
    const joined = union(k[list] ?? [], o[list] ?? [])
    if (!same(joined, k[list])) changes[list] = joined
  }
  if (o.marketing_opt_out && !k.marketing_opt_out) changes.marketing_opt_out = true
  if (o.shared && !k.shared) changes.shared = true
  validateContactFields({ ...k, ...changes })
  return changes
}

export function mergeContacts(
  kept: ContactState | null,
  other: ContactState | null,
  cmd: { choices: Record<string, MergeSide | undefined>; moved: MergeMoved },
  ctx: CommandContext,
): { kept: ContactEvent[]; other: ContactEvent[] } {
  checkPair(kept, other, 'contact.not_found')
  const at = ctx.now.toISOString()
  const changes = contactMergeChanges(kept!, other!, cmd.choices)
  return {
    kept: [{ type: 'ContactsMerged', data: { id: kept!.id, at, merged_id: other!.id, changes, moved: cmd.moved } }],
    other: [{ type: 'ContactMergedInto', data: { id: other!.id, at, into_id: kept!.id } }],
  }
}
