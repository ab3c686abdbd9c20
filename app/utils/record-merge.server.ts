import { redirect } from '@remix-run/node'
import { sql } from 'kysely'
import { CONTACT_MERGE_GROUPS, canMergeRecords, defaultSide, differingGroups, ORGANISATION_MERGE_GROUPS, type MergeSide } from '../../domain/crm/record-merge'
import { mergeContactsCommand, mergeOrganisationsCommand } from '../../domain/crm/record-merge.commands'
import { formatPhone } from '../../domain/crm/contact-points'
import type { MessageKey } from '../i18n/i18n'
import { forbidden, notFound, type Auth } from './auth.server'
import { findDuplicateContacts } from './contact-duplicates.server'
import { findVisibleContact, fullName } from './contacts.server'
import { commandIdOf, domainFailure, formValues, isUuid } from './forms.server'
import { findDuplicateOrganisations } from './organisation-form.server'
import { findVisibleOrganisation } from './records.server'
import { normaliseQuery, searchContacts, searchOrganisations, SEARCH_MIN_LENGTH } from './search.server'
import { userNames } from './visibility.server'

// The merge screens (/organisations/:id/merge, /contacts/:id/merge): without `with`, a
// GET search to pick the duplicate (no JavaScript needed); with it, one radio per
// differing group of fields and what will move, then one POST that merges.

export type MergeKind = 'organisation' | 'contact'
export type MergeCandidate = { id: string; label: string; detail: string | null }
export type MergeRow = { key: string; label: string; kept: string; other: string; side: MergeSide }
export type MergePick = {
  step: 'pick'
  kind: MergeKind
  kept: { id: string; name: string }
  q: string
  suggestions: MergeCandidate[]
  results: MergeCandidate[] | null
}
export type MergeCompare = {
  step: 'compare'
  kind: MergeKind
  kept: { id: string; name: string; version: number }
  other: { id: string; name: string; version: number }
  rows: MergeRow[]
  moves: { key: MessageKey; count: number }[]
}

const base = (kind: MergeKind) => (kind === 'organisation' ? '/organisations' : '/contacts')

type Record = { id: string; owner_id: string | null; canWrite: boolean }
async function findRecord(auth: Auth, kind: MergeKind, id: string) {
  return kind === 'organisation' ? findVisibleOrganisation(auth, id) : findVisibleContact(auth, id)
}

/** A link to a record merged away goes to the one it was merged into (null if it was not merged). */
export async function mergedInto(auth: Auth, kind: MergeKind, id: string): Promise<string | null> {
  if (!isUuid(id)) return null
  const table = kind === 'organisation' ? 'organisations' : 'contacts'
  const row = await auth.tenant.selectFrom(table).select(`${table}.merged_into_id as into`).where(`${table}.id`, '=', id).executeTakeFirst()
  return row?.into ?? null
}

/** Both records, visible and in the workspace (else 404), and the right to merge them (else 403). */
async function pair(auth: Auth, kind: MergeKind, keptId: string, otherId: string) {
  if (auth.actor.role === 'finance') throw forbidden()
  const kept = await findRecord(auth, kind, keptId)
  if (!kept) throw notFound()
  const other = otherId ? await findRecord(auth, kind, otherId) : null
  if (otherId && !other) throw notFound()
  if (other && !canMergeRecords(auth.actor, kept as Record, other as Record)) throw forbidden()
  return { kept, other }
}

const nameOf = (kind: MergeKind, r: { name?: string; first_name?: string; last_name?: string }) =>
  kind === 'organisation' ? (r.name ?? '') : fullName(r as { first_name: string; last_name: string })

export async function mergeLoader(auth: Auth, request: Request, kind: MergeKind, keptId: string): Promise<MergePick | MergeCompare> {
  const url = new URL(request.url)
  const asked = url.searchParams.get('with') ?? ''
  const withId = asked === keptId ? '' : asked // itself: back to picking
  const { kept, other } = await pair(auth, kind, keptId, withId)
  if (!other) {
    const q = normaliseQuery(url.searchParams.get('q'))
    return {
      step: 'pick',
      kind,
      kept: { id: kept.id, name: nameOf(kind, kept) },
      q,
      suggestions: (await suggestions(auth, kind, kept)).filter((c) => c.id !== kept.id),
      results: q.length >= SEARCH_MIN_LENGTH ? (await search(auth, kind, q)).filter((c) => c.id !== kept.id) : null,
    }
  }
  return compare(auth, kind, kept, other)
}

async function suggestions(auth: Auth, kind: MergeKind, kept: NonNullable<Awaited<ReturnType<typeof findRecord>>>): Promise<MergeCandidate[]> {
  if (kind === 'organisation') {
    const o = kept as NonNullable<Awaited<ReturnType<typeof findVisibleOrganisation>>>
    const d = await findDuplicateOrganisations(auth, { ...o, tags: undefined, notes: undefined })
    return d.visible.map((c) => ({ id: c.id, label: c.name, detail: [c.city, c.siren ? `SIREN ${c.siren}` : null].filter(Boolean).join(' · ') || null }))
  }
  const c = kept as NonNullable<Awaited<ReturnType<typeof findVisibleContact>>>
  const d = await findDuplicateContacts(auth, { ...c, tags: undefined, notes: undefined })
  return d.visible.map((x) => ({ id: x.id, label: fullName(x), detail: x.organisation_name }))
}

async function search(auth: Auth, kind: MergeKind, q: string): Promise<MergeCandidate[]> {
  if (kind === 'organisation')
    return (await searchOrganisations(auth, q, 20)).map((o) => ({
      id: o.id,
      label: o.name,
      detail: [o.city, o.siren ? `SIREN ${o.siren}` : null].filter(Boolean).join(' · ') || null,
    }))
  return (await searchContacts(auth, q, 20)).map((c) => ({
    id: c.id,
    label: fullName(c),
    detail: [c.organisation_name, c.emails[0]].filter(Boolean).join(' · ') || null,
  }))
}

async function compare(
  auth: Auth,
  kind: MergeKind,
  kept: Awaited<ReturnType<typeof findRecord>> & {},
  other: Awaited<ReturnType<typeof findRecord>> & {},
): Promise<MergeCompare> {
  const t = auth.t
  const names = await userNames(auth.tenant)
  const orgIds = kind === 'contact' ? [kept, other].map((r) => (r as { organisation_id: string | null }).organisation_id).filter((x): x is string => !!x) : []
  const orgNames = new Map(
    orgIds.length
      ? (
          await auth.tenant.selectFrom('organisations').select(['organisations.id', 'organisations.name']).where('organisations.id', 'in', orgIds).execute()
        ).map((o) => [o.id, o.name])
      : [],
  )
  const show = (key: string, r: { [k: string]: unknown }): string => {
    const v = (c: string) => r[c] as string | null | boolean
    const textOr = (s: string | null | undefined) => (s ? s : t('merge.empty'))
    switch (key) {
      case 'ids':
        return [v('siren') && `SIREN ${v('siren')}`, v('siret') && `SIRET ${v('siret')}`].filter(Boolean).join(' · ') || t('merge.empty')
      case 'address':
        return textOr([v('address'), [v('postal_code'), v('city')].filter(Boolean).join(' ')].filter(Boolean).join(', '))
      case 'phone':
        return textOr(v('phone') ? formatPhone(v('phone') as string) : null)
      case 'status':
        return t(`org.status.${v('status')}` as MessageKey)
      case 'owner_id':
        return v('owner_id') ? (names[v('owner_id') as string] ?? t('merge.empty')) : t('common.unassigned')
      case 'organisation_id':
        return textOr(v('organisation_id') ? orgNames.get(v('organisation_id') as string) : null)
      case 'name':
        return kind === 'organisation' ? String(v('name')) : [v('civility'), v('first_name'), v('last_name')].filter(Boolean).join(' ')
      case 'consent':
        return v('gdpr_consent') ? [t('merge.yes'), v('consent_source'), v('consent_date')].filter(Boolean).join(' · ') : t('merge.no')
      default:
        return textOr(v(key) as string | null)
    }
  }
  const groups = kind === 'organisation' ? ORGANISATION_MERGE_GROUPS : CONTACT_MERGE_GROUPS
  const k = kept as unknown as { [c: string]: unknown }
  const o = other as unknown as { [c: string]: unknown }
  const rows = differingGroups(groups as unknown as { key: string; columns: string[] }[], k, o).map((g) => ({
    key: g.key,
    label: t(`merge.field.${g.key}` as MessageKey),
    kept: show(g.key, k),
    other: show(g.key, o),
    side: defaultSide(g, k, o),
  }))
  return {
    step: 'compare',
    kind,
    kept: { id: kept.id, name: nameOf(kind, kept), version: kept.version },
    other: { id: other.id, name: nameOf(kind, other), version: other.version },
    rows,
    moves: await movesOf(auth, kind, other.id),
  }
}

/** How many rows of the duplicate will move, by kind (only the kinds it has). */
async function movesOf(auth: Auth, kind: MergeKind, otherId: string): Promise<{ key: MessageKey; count: number }[]> {
  const db = auth.tenant
  const col = kind === 'organisation' ? 'organisation_id' : 'contact_id'
  const n = (r: { n: unknown } | undefined) => Number(r?.n ?? 0)
  const count = async (table: 'deals' | 'contacts' | 'activities' | 'tasks', c: 'organisation_id' | 'contact_id') =>
    n(
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where(`${table}.${c}` as 'tasks.contact_id', '=', otherId)
        .where(`${table}.deleted_at` as 'tasks.deleted_at', 'is', null)
        .executeTakeFirst(),
    )
  const plain = async (table: 'quotes' | 'contracts') =>
    n(
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where(`${table}.${col}` as 'quotes.contact_id', '=', otherId)
        .executeTakeFirst(),
    )
  const deals =
    kind === 'organisation'
      ? await count('deals', 'organisation_id')
      : n(
          await db
            .selectFrom('deals')
            .select((eb) => eb.fn.countAll().as('n'))
            .where(sql<boolean>`deals.contact_ids @> array[${otherId}]::uuid[]`)
            .where('deals.deleted_at', 'is', null)
            .executeTakeFirst(),
        )
  const all: { key: MessageKey; count: number }[] = [
    { key: 'merge.move.deals', count: deals },
    ...(kind === 'organisation' ? [{ key: 'merge.move.contacts' as const, count: await count('contacts', 'organisation_id') }] : []),
    { key: 'merge.move.activities', count: await count('activities', col) },
    { key: 'merge.move.tasks', count: await count('tasks', col) },
    { key: 'merge.move.quotes', count: await plain('quotes') },
    { key: 'merge.move.contracts', count: await plain('contracts') },
  ]
  return all.filter((m) => m.count > 0)
}

/** The merge POST: both records checked again, one transaction, then the kept record's page. */
export async function mergeAction(auth: Auth & { form: FormData }, db: Parameters<typeof mergeOrganisationsCommand>[0], kind: MergeKind, keptId: string) {
  const { form } = auth
  const otherId = String(form.get('with') ?? '')
  if (!isUuid(otherId)) throw notFound()
  const { kept, other } = await pair(auth, kind, keptId, otherId)
  if (!other) throw notFound()
  const choices: { [key: string]: MergeSide | undefined } = {}
  for (const [k, v] of form) if (k.startsWith('choice_') && (v === 'kept' || v === 'other')) choices[k.slice('choice_'.length)] = v
  const cmd = { keptId: kept.id, otherId: other.id, keptVersion: Number(form.get('kept_version')), otherVersion: Number(form.get('other_version')), choices }
  const values = formValues(form)
  try {
    const run = kind === 'organisation' ? mergeOrganisationsCommand : mergeContactsCommand
    await run(db, auth.ctx(commandIdOf(form)), cmd)
  } catch (e) {
    const failed = domainFailure(e, values, auth)
    // A field refused (a SIRET chosen apart from its SIREN…) is said at the top of the merge form.
    const body = failed.data
    if (!body.formError && Object.keys(body.errors).length) body.formError = Object.values(body.errors).join(' ')
    return failed
  }
  throw redirect(`${base(kind)}/${kept.id}?fusionne=1`)
}
