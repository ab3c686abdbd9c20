import { Form, Link, useNavigation } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import type { FormFailure } from '~/utils/forms.server'
import type { MergeCandidate, MergeCompare, MergePick } from '~/utils/record-merge.server'

// The merge screen of organisations and contacts: pick the duplicate (a plain GET
// search), then one radio group per differing field and a single "Fusionner" POST.

const linkClass = 'font-medium text-indigo-800 underline hover:no-underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'

export function RecordMergePage({ page, failed, commandId }: { page: MergePick | MergeCompare; failed?: FormFailure; commandId: string }) {
  const t = useT()
  const base = page.kind === 'organisation' ? '/organisations' : '/contacts'
  const title = page.kind === 'organisation' ? t('merge.titleOrganisation') : t('merge.titleContact')
  return (
    <>
      <PageHeader
        title={title}
        subtitle={
          <Link to={`${base}/${page.kept.id}`} className={linkClass}>
            {page.kept.name}
          </Link>
        }
      />
      {page.step === 'pick' ? <Pick page={page} base={base} /> : <Compare page={page} base={base} failed={failed} commandId={commandId} />}
    </>
  )
}

function Pick({ page, base }: { page: MergePick; base: string }) {
  const t = useT()
  return (
    <div className="space-y-6">
      <Card title={t('merge.pickTitle')}>
        <p className="mb-4 text-sm text-slate-700">{t('merge.pickHelp', { name: page.kept.name })}</p>
        <h3 className="text-sm font-semibold text-slate-900">{t('merge.suggestions')}</h3>
        <Candidates list={page.suggestions} base={base} keptId={page.kept.id} empty={t('merge.noSuggestions')} />
        <Form method="get" className="mt-6 flex flex-wrap items-end gap-3" role="search">
          <TextField
            name="q"
            type="search"
            label={page.kind === 'organisation' ? t('merge.searchOrganisation') : t('merge.searchContact')}
            hint={t('merge.searchHint')}
            defaultValue={page.q}
            className="min-w-[16rem] flex-1"
          />
          <Button variant="secondary">{t('merge.search')}</Button>
        </Form>
        {page.results ? (
          <>
            <h3 className="mt-6 text-sm font-semibold text-slate-900">{t('merge.results')}</h3>
            <Candidates list={page.results} base={base} keptId={page.kept.id} empty={t('merge.noResults')} />
          </>
        ) : null}
      </Card>
      <LinkButton to={`${base}/${page.kept.id}`} variant="secondary">
        {t('merge.cancel')}
      </LinkButton>
    </div>
  )
}

function Candidates({ list, base, keptId, empty }: { list: MergeCandidate[]; base: string; keptId: string; empty: string }) {
  const t = useT()
  if (!list.length) return <p className="mt-2 text-sm text-slate-600">{empty}</p>
  return (
    <ul className="mt-2 divide-y divide-slate-100">
      {list.map((c) => (
        <li key={c.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
          <span className="min-w-0">
            <span className="font-medium text-slate-900">{c.label}</span>
            {c.detail ? <span className="ml-2 text-sm text-slate-600">{c.detail}</span> : null}
          </span>
          <Link to={`${base}/${keptId}/merge?with=${c.id}`} className={linkClass}>
            {t('merge.choose', { name: c.label })}
          </Link>
        </li>
      ))}
    </ul>
  )
}

function Compare({ page, base, failed, commandId }: { page: MergeCompare; base: string; failed?: FormFailure; commandId: string }) {
  const t = useT()
  const navigation = useNavigation()
  // A refused merge shows the form again with what was chosen.
  const chosen = (key: string, side: string) => failed?.values[`choice_${key}`] ?? side
  return (
    <Form method="post" className="space-y-6">
      <AuthenticityTokenInput />
      <input type="hidden" name="commandId" value={commandId} />
      <input type="hidden" name="with" value={page.other.id} />
      <input type="hidden" name="kept_version" value={page.kept.version} />
      <input type="hidden" name="other_version" value={page.other.version} />
      {failed?.formError ? <Alert tone="error">{failed.formError}</Alert> : null}
      <Card title={t('merge.compareTitle')}>
        <dl className="mb-4 grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{t('merge.kept')}</dt>
            <dd className="font-medium text-slate-900">{page.kept.name}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{t('merge.other')}</dt>
            <dd className="font-medium text-slate-900">
              <Link to={`${base}/${page.other.id}`} className={linkClass}>
                {page.other.name}
              </Link>
            </dd>
          </div>
        </dl>
        {page.rows.length ? (
          <p className="mb-4 text-sm text-slate-700">{t('merge.compareHelp')}</p>
        ) : (
          <p className="mb-4 text-sm text-slate-700">{t('merge.noDifference')}</p>
        )}
        <div className="space-y-4">
          {page.rows.map((r) => (
            <fieldset key={r.key} className="rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-semibold text-slate-900">{r.label}</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                {(['kept', 'other'] as const).map((side) => (
                  <label key={side} className="flex min-w-0 items-start gap-2 text-sm text-slate-900">
                    <input type="radio" name={`choice_${r.key}`} value={side} defaultChecked={chosen(r.key, r.side) === side} className="mt-1" />
                    <span className="min-w-0 break-words">
                      {t('merge.valueOf', { value: r[side], side: side === 'kept' ? t('merge.kept') : t('merge.other') })}
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
        </div>
        <p className="mt-4 text-sm text-slate-700">{page.kind === 'organisation' ? t('merge.joinedOrganisation') : t('merge.joinedContact')}</p>
      </Card>
      <Card title={t('merge.movesTitle')}>
        {page.moves.length ? (
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-900">
            {page.moves.map((m) => (
              <li key={m.key}>{t(m.key, { count: m.count })}</li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">{t('merge.movesNone')}</p>
        )}
        {page.kind === 'organisation' ? <p className="mt-3 text-sm text-slate-600">{t('merge.invoicesStay')}</p> : null}
      </Card>
      <div className="flex flex-wrap gap-3">
        <Button disabled={navigation.state === 'submitting'}>{t('merge.submit')}</Button>
        <LinkButton to={`${base}/${page.other.id}/merge?with=${page.kept.id}`} variant="secondary">
          {t('merge.swap')}
        </LinkButton>
        <LinkButton to={`${base}/${page.kept.id}/merge`} variant="secondary">
          {t('merge.otherPick')}
        </LinkButton>
      </div>
    </Form>
  )
}
