import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'

// Rows campaign tests and the bench need: the company's legal footer and many
// consenting contacts, inserted in one statement each (50,000 for the bench).

export async function givenCompanyAddress(db: Db, workspaceId: string, now: Date) {
  await db
    .insertInto('company_settings')
    .values({
      workspace_id: workspaceId,
      company_name: 'Menuiseries Roche',
      address: '12 rue des Tanneurs',
      postal_code: '69003',
      city: 'Lyon',
      brand_color: '#4338ca',
      default_validity_days: 30,
      version: 1,
      updated_at: now,
    } as never)
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ address: '12 rue des Tanneurs', city: 'Lyon' } as never))
    .execute()
}

/** `n` contacts with marketing consent (`prenom-<i>@<domain>`), tagged; returns their ids in address order. */
export async function givenConsentingContacts(db: Db, workspaceId: string, n: number, opts: { tag?: string; domain?: string; now: Date; consent?: boolean }) {
  const domain = opts.domain ?? 'exemple.fr'
  const r = await sql<{ id: string }>`
    insert into contacts (id, workspace_id, first_name, last_name, emails, phones, gdpr_consent, consent_source, consent_date, marketing_opt_out, tags, shared, version, created_at, updated_at)
    select gen_random_uuid(), ${workspaceId}, 'Prénom' || i, 'Nom' || i, array['contact-' || lpad(i::text, 6, '0') || '@' || ${domain}], '{}',
           ${opts.consent ?? true}, 'Salon Batimat', ${opts.now}::date, false, array[${opts.tag ?? 'newsletter'}], false, 1, ${opts.now}, ${opts.now}
      from generate_series(1, ${n}) as i
    returning id`.execute(db)
  return r.rows.map((x) => x.id)
}
