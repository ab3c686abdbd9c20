import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/utils/auth.server'
import { normaliseQuery, searchOrganisations, SEARCH_MIN_LENGTH } from '~/utils/search.server'
import { visibleTo } from '~/utils/visibility.server'

export type OrganisationLookupItem = { id: string; name: string; city: string | null; siren: string | null }

/**
 * The organisation picker's source (`/organisations/lookup?q=`): up to 20 organisations
 * this user may see, by name (typo-tolerant) or SIREN; the first ones alphabetically
 * when the query is shorter than two characters.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const q = normaliseQuery(new URL(request.url).searchParams.get('q'))
  const items: OrganisationLookupItem[] =
    q.length >= SEARCH_MIN_LENGTH
      ? (await searchOrganisations(auth, q, 20)).map(({ id, name, city, siren }) => ({ id, name, city, siren }))
      : await auth.tenant
          .selectFrom('organisations')
          .select(['organisations.id', 'organisations.name', 'organisations.city', 'organisations.siren'])
          .where('organisations.deleted_at', 'is', null)
          .where(visibleTo(auth.actor, 'organisations'))
          .orderBy('organisations.name')
          .orderBy('organisations.id')
          .limit(20)
          .execute()
  return Response.json({ q, items }, { headers: { 'Cache-Control': 'private, no-store' } })
}
