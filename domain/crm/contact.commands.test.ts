import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { ValidationError } from '../shared/errors.js'
import { createContactCommand, logActivityCommand, updateContactCommand } from './contact.commands.js'
import { createOrganisationCommand } from './crm.commands.js'
import type { ContactFields } from './contact.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const contact = (orgId: string | null): ContactFields => ({
  civility: 'Mme',
  first_name: 'Élodie',
  last_name: 'Fontaine',
  job_title: 'Directrice achats',
  emails: ['Elodie.Fontaine@Exemple.fr'],
  phones: ['06 12 34 56 78'],
  organisation_id: orgId,
  owner_id: null,
  shared: false,
  gdpr_consent: true,
  consent_source: 'Salon Batimat',
  consent_date: null,
  marketing_opt_out: false,
})
const org = {
  name: 'Fontaine Industries',
  siren: null,
  siret: null,
  vat_number: null,
  address: null,
  postal_code: null,
  city: null,
  sector: null,
  size: null,
  status: 'client' as const,
  owner_id: null,
}

describe('contacts and activities', () => {
  it('stores normalised emails and E.164 phones, and dates the consent', async () => {
    const w = await givenWorkspace(rt.db)
    const orgId = randomUUID()
    await createOrganisationCommand(rt.db, w.ctx(), { id: orgId, fields: org })
    const id = randomUUID()
    await createContactCommand(rt.db, w.ctx(), { id, fields: contact(orgId) })
    const row = await rt.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ emails: ['elodie.fontaine@exemple.fr'], phones: ['+33612345678'], gdpr_consent: true, version: 1 })
    expect(row.consent_date).toBeTruthy()
  })

  it('refuses a bad email beside the field and creates nothing', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    const err = await createContactCommand(rt.db, w.ctx(), { id, fields: { ...contact(null), emails: ['elodie@'] } }).catch((e) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect(err.fieldErrors).toEqual({ emails: { code: 'contact.email.invalid', params: { value: 'elodie@' } } })
    expect(await rt.db.selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined()
  })

  it('does not link a contact to an organisation of another workspace', async () => {
    const a = await givenWorkspace(rt.db)
    const b = await givenWorkspace(rt.db)
    const orgOfB = randomUUID()
    await createOrganisationCommand(rt.db, b.ctx(), { id: orgOfB, fields: org })
    await expect(createContactCommand(rt.db, a.ctx(), { id: randomUUID(), fields: contact(orgOfB) })).rejects.toThrow('organisation_id: organisation.not_found')
  })

  it('records only real changes of a contact', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createContactCommand(rt.db, w.ctx(), { id, fields: contact(null) })
    const row = await rt.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const same = await updateContactCommand(rt.db, w.ctx(), {
      id,
      expectedVersion: 1,
      fields: { ...contact(null), consent_date: row.consent_date, phones: ['+33 6 12 34 56 78'] },
    })
    expect(same.events).toEqual([])
    const changed = await updateContactCommand(rt.db, w.ctx(), {
      id,
      expectedVersion: 1,
      fields: { ...contact(null), consent_date: row.consent_date, job_title: 'DAF' },
    })
    expect(changed.events[0].data).toMatchObject({ changes: { job_title: 'DAF' } })
  })

  it('logs an activity against an organisation with its author', async () => {
    const w = await givenWorkspace(rt.db)
    const orgId = randomUUID()
    await createOrganisationCommand(rt.db, w.ctx(), { id: orgId, fields: org })
    const id = randomUUID()
    await logActivityCommand(rt.db, w.ctx(w.users.commercial), {
      id,
      fields: {
        kind: 'call',
        subject: 'Appel de découverte',
        body: null,
        occurred_at: '2026-11-20T14:00:00Z',
        duration_minutes: 25,
        organisation_id: orgId,
        contact_id: null,
        deal_id: null,
      },
    })
    const row = await rt.db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ kind: 'call', author_id: w.users.commercial, duration_minutes: 25 })
    await expect(
      logActivityCommand(rt.db, w.ctx(), {
        id: randomUUID(),
        fields: {
          kind: 'note',
          subject: 'Orpheline',
          body: null,
          occurred_at: '2026-11-20T14:00:00Z',
          duration_minutes: null,
          organisation_id: null,
          contact_id: null,
          deal_id: null,
        },
      }),
    ).rejects.toThrow('activity.link.required')
  })
})
