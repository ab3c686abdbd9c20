import { sql } from 'kysely'
import type { WorkingSet } from '~/offline/types'
import { addDays, parisDay, startOfParisDay } from '../../domain/shared/paris-time'
import { loadStages } from '../../domain/crm/crm.repository'
import type { Auth } from './auth.server'
import { toIsoDate } from './format'

// What a rep carries offline (issue 15): the accounts they own (and those of their open
// deals — "followed" accounts do not exist as such yet), their open deals, their contacts,
// their tasks due today or overdue, and the last 50 activities of each of those accounts.
// Every read goes through the session's TenantDb and is limited to this user's own rows,
// so the set never holds what the person could not open online.

const MAX_ORGANISATIONS = 300
const MAX_CONTACTS = 600
const ACTIVITIES_PER_ACCOUNT = 50

export async function buildWorkingSet(auth: Auth): Promise<WorkingSet> {
  const { tenant, user } = auth
  const now = auth.now()
  const stages = await loadStages(tenant.db, user.workspaceId)
  const openStages = stages.filter((s) => s.kind === 'open').map((s) => s.code)

  const deals = openStages.length
    ? await tenant
        .selectFrom('deals')
        .innerJoin('organisations', (j) =>
          j.onRef('organisations.id', '=', 'deals.organisation_id').onRef('organisations.workspace_id', '=', 'deals.workspace_id'),
        )
        .select([
          'deals.id',
          'deals.title',
          'deals.organisation_id',
          'organisations.name as organisation_name',
          'deals.amount_cents',
          'deals.stage',
          'deals.expected_close_date',
          'deals.version',
        ])
        .where('deals.owner_id', '=', user.id)
        .where('deals.deleted_at', 'is', null)
        .where('deals.stage', 'in', openStages)
        .orderBy('deals.updated_at', 'desc')
        .limit(MAX_ORGANISATIONS)
        .execute()
    : []
  const dealOrgIds = [...new Set(deals.map((d) => d.organisation_id))]

  const organisations = await tenant
    .selectFrom('organisations')
    .leftJoin('users as owner', 'owner.id', 'organisations.owner_id')
    .select([
      'organisations.id',
      'organisations.name',
      'organisations.city',
      'organisations.status',
      'organisations.siren',
      'organisations.version',
      'organisations.siret',
      'organisations.vat_number',
      'organisations.address',
      'organisations.postal_code',
      'organisations.sector',
      'organisations.size',
      'organisations.phone',
      'organisations.email',
      'organisations.website',
      'owner.full_name as owner_name',
      'organisations.tags',
      'organisations.notes',
    ])
    .where('organisations.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('organisations.owner_id', '=', user.id), ...(dealOrgIds.length ? [eb('organisations.id', 'in', dealOrgIds)] : [])]))
    .orderBy('organisations.name')
    .limit(MAX_ORGANISATIONS)
    .execute()
  const orgIds = organisations.map((o) => o.id)

  const contacts = await tenant
    .selectFrom('contacts')
    .select([
      'contacts.id',
      'contacts.first_name',
      'contacts.last_name',
      'contacts.job_title',
      'contacts.emails',
      'contacts.phones',
      'contacts.organisation_id',
      'contacts.version',
      'contacts.tags',
      'contacts.notes',
    ])
    .where('contacts.deleted_at', 'is', null)
    .where('contacts.owner_id', '=', user.id)
    .orderBy('contacts.last_name')
    .limit(MAX_CONTACTS)
    .execute()

  const endOfToday = startOfParisDay(addDays(parisDay(now), 1))
  const tasks = await tenant
    .selectFrom('tasks')
    .select([
      'tasks.id',
      'tasks.title',
      'tasks.due_at',
      'tasks.all_day',
      'tasks.priority',
      'tasks.status',
      'tasks.organisation_id',
      'tasks.deal_id',
      'tasks.contact_id',
      'tasks.version',
    ])
    .where('tasks.deleted_at', 'is', null)
    .where('tasks.assignee_id', '=', user.id)
    .where('tasks.status', 'in', ['a_faire', 'en_cours'])
    .where('tasks.due_at', '<', endOfToday)
    .orderBy('tasks.due_at')
    .limit(MAX_CONTACTS)
    .execute()

  // The newest 50 of each account, in one query.
  const activities = orgIds.length
    ? await tenant.db
        .selectFrom((eb) =>
          eb
            .selectFrom('activities')
            .leftJoin('users as author', 'author.id', 'activities.author_id')
            .select([
              'activities.id',
              'activities.kind',
              'activities.subject',
              'activities.body',
              'activities.occurred_at',
              'activities.organisation_id',
              'activities.deal_id',
              'activities.contact_id',
              'author.full_name as author_name',
              sql<number>`row_number() over (partition by activities.organisation_id order by activities.occurred_at desc)`.as('rank'),
            ])
            .where('activities.workspace_id', '=', user.workspaceId)
            .where('activities.deleted_at', 'is', null)
            .where('activities.organisation_id', 'in', orgIds)
            .as('ranked'),
        )
        .selectAll('ranked')
        .where('ranked.rank', '<=', ACTIVITIES_PER_ACCOUNT)
        .orderBy('ranked.occurred_at', 'desc')
        .execute()
    : []

  return {
    key: `${user.workspaceId}:${user.id}`,
    user: { id: user.id, fullName: user.fullName, workspaceId: user.workspaceId, workspaceName: user.workspaceName },
    generatedAt: now.toISOString(),
    sessionExpiresAt: auth.session.expiresAt.toISOString(),
    csrf: auth.session.csrfToken,
    stages: stages.map((s) => ({ code: s.code, label: s.label, kind: s.kind, probability: s.probability })),
    organisations,
    deals: deals.map((d) => ({ ...d, amount_cents: Number(d.amount_cents), expected_close_date: toIsoDate(d.expected_close_date) })),
    contacts,
    tasks: tasks.map((t) => ({ ...t, due_at: t.due_at ? new Date(t.due_at).toISOString() : null })),
    activities: activities.map(({ rank: _rank, ...a }) => ({ ...a, occurred_at: new Date(a.occurred_at).toISOString() })),
  }
}
