import { Form } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { PendingBadge, RecordLink } from './records/record-link'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { Alert } from './ui/alert'
import { Button, LinkButton } from './ui/button'

export type ContactLine = {
  id: string
  first_name: string
  last_name: string
  job_title: string | null
  email: string | null
  phone: { e164: string; display: string } | null
  /** Created on this device offline and not sent yet. */
  pending?: boolean
}

/** Contacts as a short list (name, job, first phone and e-mail as tap-to-call / mailto links). */
export function ContactLines({ contacts, empty }: { contacts: ContactLine[]; empty: string }) {
  if (contacts.length === 0) return <p className="text-sm text-slate-600">{empty}</p>
  return (
    <ul className="divide-y divide-slate-100">
      {contacts.map((c) => (
        <li key={c.id} className="py-2">
          <RecordLink to={`/contacts/${c.id}`} className="font-medium text-indigo-800 hover:underline">
            {c.first_name} {c.last_name}
          </RecordLink>
          {c.pending ? <PendingBadge /> : null}
          {c.job_title ? <span className="text-xs text-slate-600"> · {c.job_title}</span> : null}
          {c.phone || c.email ? (
            <div className="mt-0.5 flex flex-wrap gap-x-3 text-xs">
              {c.phone ? (
                <a href={`tel:${c.phone.e164}`} className="tabular-nums text-indigo-800 hover:underline">
                  {c.phone.display}
                </a>
              ) : null}
              {c.email ? (
                <a href={`mailto:${c.email}`} className="break-all text-indigo-800 hover:underline">
                  {c.email}
                </a>
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  )
}

/** An organisation's contacts card, with "Ajouter un contact" for those who may create. */
export function OrganisationContacts({ organisationId, contacts, canAdd }: { organisationId: string; contacts: ContactLine[]; canAdd: boolean }) {
  const t = useT()
  return (
    <section aria-labelledby="contacts-titre" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 id="contacts-titre" className="mb-4 text-base font-semibold text-slate-900">
        {t('contact.ofOrganisation')}
      </h2>
      <ContactLines contacts={contacts} empty={t('contact.none')} />
      {canAdd ? (
        <LinkButton to={`/contacts/new?organisation=${organisationId}`} variant="secondary" className="mt-4">
          {t('contact.add')}
        </LinkButton>
      ) : null}
    </section>
  )
}

/**
 * A deal's contacts, and for those who may change the deal, checkboxes of its
 * organisation's contacts (a plain form: intent=contacts on the deal page).
 */
export function DealContacts({
  linked,
  options,
  editable,
  version,
  commandId,
  error,
}: {
  linked: ContactLine[]
  options: { id: string; name: string; job_title: string | null; checked: boolean }[]
  editable: boolean
  version: number
  commandId: string
  error?: string
}) {
  const t = useT()
  return (
    <section aria-labelledby="contacts-titre" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 id="contacts-titre" className="mb-4 text-base font-semibold text-slate-900">
        {t('deal.contacts')}
      </h2>
      <ContactLines contacts={linked} empty={t('deal.noContacts')} />
      {editable ? (
        <details className="mt-4" open={!!error}>
          <summary className="cursor-pointer rounded text-sm font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
            {t('deal.chooseContacts')}
          </summary>
          {options.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">{t('deal.noOrgContacts')}</p>
          ) : (
            <Form method="post" className="mt-3 space-y-3" key={`contacts-${version}`}>
              <AuthenticityTokenInput />
              <input type="hidden" name="intent" value="contacts" />
              <input type="hidden" name="commandId" value={commandId} />
              <input type="hidden" name="version" value={version} />
              {error ? <Alert tone="error">{error}</Alert> : null}
              <fieldset>
                <legend className="sr-only">{t('deal.chooseContacts')}</legend>
                <ul className="space-y-2">
                  {options.map((o) => (
                    <li key={o.id} className="flex items-start gap-3">
                      <input
                        type="checkbox"
                        id={`f-contact-${o.id}`}
                        name="contact_ids"
                        value={o.id}
                        defaultChecked={o.checked}
                        className="mt-0.5 h-5 w-5 flex-none accent-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                      />
                      <label htmlFor={`f-contact-${o.id}`} className="text-sm text-slate-800">
                        {o.name}
                        {o.job_title ? <span className="text-slate-600"> · {o.job_title}</span> : null}
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <Button variant="secondary">{t('deal.saveContacts')}</Button>
            </Form>
          )}
        </details>
      ) : null}
    </section>
  )
}
