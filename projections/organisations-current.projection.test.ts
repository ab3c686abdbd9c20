import { describe, expect, it } from 'vitest'
import { foldOrganisation, type OrganisationCurrentRow, organisationRowFromClickHouse } from './organisations-current.projection.js'
import type { ProjectedEvent } from './projected-event.js'

const WS = '6f1c2a52-0000-4000-8000-000000000002'
const ORG = '6f1c2a52-0000-4000-8000-0000000000a2'
const event = (stream_version: number, type: string, data: Record<string, unknown>): ProjectedEvent => ({
  position: stream_version,
  tx_id: '42',
  workspace_id: WS,
  stream_type: 'organisation',
  stream_id: ORG,
  stream_version,
  type,
  data,
  occurred_at: new Date(),
})
const created = event(1, 'OrganisationCreated', {
  id: ORG,
  workspace_id: WS,
  at: '2026-01-05T08:00:00.000Z',
  name: 'Boulangerie Martin',
  siren: '732829320',
  siret: null,
  vat_number: null,
  address: '3 rue des Fours',
  postal_code: '69002',
  city: 'Lyon',
  sector: 'Commerce',
  size: '10-49',
  status: 'prospect',
  owner_id: null,
  tags: ['pain'],
})
const fold = (events: ProjectedEvent[]) => events.reduce<OrganisationCurrentRow | null>(foldOrganisation, null)

describe('organisations_current rows', () => {
  it('keep what analytics shows of an organisation', () => {
    expect(fold([created])).toEqual({
      workspace_id: WS,
      organisation_id: ORG,
      name: 'Boulangerie Martin',
      status: 'prospect',
      sector: 'Commerce',
      city: 'Lyon',
      size: '10-49',
      siren: '732829320',
      owner_id: null,
      created_at: '2026-01-05T08:00:00.000Z',
      updated_at: '2026-01-05T08:00:00.000Z',
      deleted: false,
      deleted_at: null,
      version: 1,
    })
  })

  it('follow updates and deletion', () => {
    const becameClient = event(2, 'OrganisationUpdated', {
      id: ORG,
      at: '2026-02-01T08:00:00.000Z',
      changes: { status: 'client', city: 'Villeurbanne', notes: 'ignoré' },
    })
    const gone = event(3, 'OrganisationDeleted', { id: ORG, at: '2026-03-01T08:00:00.000Z' })
    const row = fold([created, becameClient, gone])
    expect(row).toMatchObject({
      status: 'client',
      city: 'Villeurbanne',
      name: 'Boulangerie Martin',
      deleted: true,
      deleted_at: '2026-03-01T08:00:00.000Z',
      version: 3,
    })
    expect(row).not.toHaveProperty('notes')
    expect(
      organisationRowFromClickHouse({
        ...row!,
        version: '3',
        created_at: '2026-01-05 08:00:00.000',
        updated_at: '2026-03-01 08:00:00.000',
        deleted_at: '2026-03-01 08:00:00.000',
      }),
    ).toEqual(row)
  })
})
