import { evolveContact, type ContactEvent, type ContactFields, type ContactState } from '../domain/crm/contact.js'
import { createContact } from '../domain/crm/contact.decide.js'
import { toE164 } from '../domain/crm/contact-points.js'
import { CONSENT_SOURCES, JOB_TITLES } from './catalogue.js'
import type { OrganisationPlan } from './demo-organisations.js'
import { FIRST_NAMES, SURNAMES } from './french-names.js'
import { entityId, streamRng, type Rng } from './prng.js'
import { DAY, isoDate } from './seed-time.js'
import type { SeedStream } from './seed-stream.js'

export type GeneratedContact = SeedStream<ContactState, ContactEvent>

/** "Transports Girard" → "transports-girard": the company's made-up e-mail domain. */
export function emailDomain(shortName: string): string {
  const slug = shortName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'et')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `${slug || 'entreprise'}.fr`
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '')

// Geographic landline prefixes: 01 Île-de-France, 02 north-west, 03 north-east, 04 south-east, 05 south-west.
const LANDLINE: Record<string, string> = {
  'Île-de-France': '1',
  'Hauts-de-France': '3',
  'Grand Est': '3',
  'Centre-Val de Loire': '2',
  Bretagne: '2',
  'Pays de la Loire': '2',
  'Nouvelle-Aquitaine': '5',
  Normandie: '2',
  'Auvergne-Rhône-Alpes': '4',
  "Provence-Alpes-Côte d'Azur": '4',
  Occitanie: '5',
  'Bourgogne-Franche-Comté': '3',
  Corse: '4',
}

/** A valid French number in E.164 (libphonenumber's own ranges decide; redrawn until valid). */
function phone(rng: Rng, prefix: string): string {
  for (;;) {
    const n = `+33${prefix}${String(rng.int(10_000_000, 99_999_999))}`
    const e164 = toE164(n)
    if (e164) return e164
  }
}

/**
 * The people met at organisation number `index`: one to three contacts with a French
 * name, job title, e-mail at the company's domain, E.164 phones and GDPR consent fields,
 * created through the domain's decide and evolve right after the company. Its own
 * random stream: the same seed always gives the same contacts.
 *
 * @example generateContacts(42, workspaceId, plan, 17, asOf) // [{ streamId, state: { first_name: 'Sophie', … }, events: [ContactCreated] }]
 */
export function generateContacts(seed: number, workspaceId: string, plan: OrganisationPlan, index: number, asOf: number): GeneratedContact[] {
  const rng = streamRng(seed, 'contact', index)
  const count = rng.weighted([
    [1, 40],
    [2, 35],
    [3, 25],
  ] as const)
  const domain = emailDomain(plan.shortName)
  const out: GeneratedContact[] = []
  const used = new Set<string>()
  for (let k = 0; k < count; k++) {
    const id = entityId(seed, 'contact', index * 4 + k)
    const [first, civility] = rng.pick(FIRST_NAMES)
    const last = rng.pick(SURNAMES)
    let local = `${ascii(first)}.${ascii(last)}`
    for (let n = 2; used.has(local); n++) local = `${ascii(first)}.${ascii(last)}${n}`
    used.add(local)
    // Entered with the company (before any deal, hence any activity, mentions them).
    const createdAt = Math.min(asOf - DAY, plan.createdAt + rng.int(1, 50) * 60_000)
    const consent = rng.chance(0.55)
    const fields: ContactFields = {
      civility,
      first_name: first,
      last_name: last,
      job_title: rng.weighted(JOB_TITLES),
      emails: rng.chance(0.15) ? [`${local}@${domain}`, `${ascii(first)}${rng.int(1, 99)}@gmail.com`] : [`${local}@${domain}`],
      phones: rng.chance(0.45) ? [phone(rng, String(rng.int(6, 7))), phone(rng, LANDLINE[plan.region] ?? '1')] : [phone(rng, '6')],
      organisation_id: plan.id,
      owner_id: plan.fields.owner_id,
      shared: false,
      gdpr_consent: consent,
      consent_source: consent ? rng.weighted(CONSENT_SOURCES) : null,
      consent_date: consent ? isoDate(createdAt) : null,
      marketing_opt_out: rng.chance(0.08),
    }
    const actorId = plan.fields.owner_id
    const stream: GeneratedContact = { streamType: 'contact', streamId: id, state: null, events: [] }
    const now = new Date(createdAt)
    for (const e of createContact(null, { id, fields }, { workspaceId, actorId, now, source: 'seed' })) {
      stream.state = evolveContact(stream.state, e)
      stream.events.push({ event: e, at: now, actorId })
    }
    stream.state!.version = stream.events.length
    out.push(stream)
  }
  return out
}
