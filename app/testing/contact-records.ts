import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { ActivityKind } from '../../db/schema.js'
import { createContactCommand, logActivityCommand } from '../../domain/crm/contact.commands.js'
import type { ContactFields } from '../../domain/crm/contact.js'
import type { CommandContext } from '../../domain/shared/events.js'
import type { WebClient } from './app-server.js'

// Contacts and activities for route tests, written through the real commands.

export async function givenContact(db: Db, ctx: CommandContext, over: Partial<ContactFields> = {}) {
  const id = randomUUID()
  await createContactCommand(db, ctx, {
    id,
    fields: {
      civility: 'Mme',
      first_name: 'Élodie',
      last_name: `Fontaine ${id.slice(0, 4)}`,
      job_title: 'Directrice achats',
      emails: [],
      phones: [],
      organisation_id: null,
      owner_id: null,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
      ...over,
    },
  })
  return id
}

export async function givenActivity(
  db: Db,
  ctx: CommandContext,
  links: { organisation_id?: string; contact_id?: string; deal_id?: string },
  over: { kind?: ActivityKind; subject?: string; occurredAt?: Date } = {},
) {
  const id = randomUUID()
  await logActivityCommand(db, ctx, {
    id,
    fields: {
      kind: over.kind ?? 'note',
      subject: over.subject ?? `Note ${id.slice(0, 6)}`,
      body: null,
      occurred_at: (over.occurredAt ?? new Date()).toISOString(),
      duration_minutes: null,
      organisation_id: links.organisation_id ?? null,
      contact_id: links.contact_id ?? null,
      deal_id: links.deal_id ?? null,
    },
  })
  return id
}

/** A form POST with repeated fields (e-mails, phones, checkboxes), as a browser sends it. */
export async function postEntries(client: WebClient, path: string, entries: [string, string][]) {
  const body = new URLSearchParams(entries)
  body.set('csrf', client.csrf)
  const res = await client.request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  return { res, html: await res.text() }
}

export const contactEntries = (over: Record<string, string | string[]> = {}): [string, string][] => {
  const fields: Record<string, string | string[]> = {
    civility: 'Mme',
    first_name: 'Élodie',
    last_name: 'Fontaine',
    job_title: 'Directrice achats',
    emails: ['elodie.fontaine@exemple.fr', ''],
    phones: ['06 12 34 56 78', ''],
    organisation_id: '',
    owner_id: '',
    consent_source: '',
    consent_date: '',
    commandId: randomUUID(),
    ...over,
  }
  return Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]))
}

export const activityForm = (links: Record<string, string>, over: Record<string, string> = {}) => ({
  kind: 'call',
  subject: 'Appel de découverte',
  occurred_at: '2026-11-27T14:05',
  duration_minutes: '15',
  body: 'Budget validé.',
  redirectTo: '/',
  commandId: randomUUID(),
  ...links,
  ...over,
})

/** A contact row's version and its number of events: "nothing changed" means both stay put. */
export async function contactFingerprint(db: Db, table: 'contacts' | 'activities', id: string) {
  const row = await db.selectFrom(table).select(['version', 'updated_at', 'deleted_at']).where('id', '=', id).executeTakeFirstOrThrow()
  const events = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stream_id', '=', id)
    .executeTakeFirstOrThrow()
  return { version: row.version, updatedAt: new Date(row.updated_at).toISOString(), deleted: row.deleted_at !== null, events: Number(events.n) }
}
