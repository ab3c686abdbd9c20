import { ORGANISATION_SEARCH_INTENT, type OrganisationSearchAnswer } from '~/components/organisation-picker'
import type { Auth } from './auth.server'
import { text } from './forms.server'
import { organisationOptions } from './records.server'

/**
 * When the posted form is the picker's search (its button's intent), the organisations
 * matching `org_q` (keeping the chosen one) and the form's values to render again;
 * otherwise null and the action goes on with its save.
 */
export async function organisationSearchAnswer(auth: Auth, form: FormData, values: Record<string, string>): Promise<OrganisationSearchAnswer | null> {
  // A record page's edit form also carries a hidden intent=update before the button's own.
  if (!form.getAll('intent').includes(ORGANISATION_SEARCH_INTENT)) return null
  const q = text(form, 'org_q')
  const organisations = await organisationOptions(auth, { q, include: values.organisation_id || null, limit: 100 })
  const { intent: _intent, org_q: _q, ...kept } = values
  return { orgSearch: { q, organisations }, values: kept }
}
