import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { SelectField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { forbidden, requireUser } from '~/utils/auth.server'
import { readFecRequest, type FecValues } from '~/utils/accounting-fec.server'
import type { FecCheck } from '../../domain/accounting/fec'
import { canKeepAccounts } from '../../domain/accounting/permissions'

// /accounting/fec — the Fichier des Écritures Comptables of a period (admins and
// finance). A GET form to /accounting/fec/telecharger (works without JavaScript; a
// native request, so the file downloads): the self-check runs first and, if anything
// would make the file wrong, the reader comes back here and the page lists it.

export const meta: MetaFunction = () => [{ title: 'Export comptable (FEC) — Alforis CRM' }]

type PageData = { values: FecValues; error: string | null; check: FecCheck | null }

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canKeepAccounts(auth.actor)) throw forbidden()
  const req = await readFecRequest(new URL(request.url), context.runtime.db, auth, context.runtime.now())
  switch (req.kind) {
    case 'form':
      return data<PageData>({ values: req.values, error: null, check: null })
    case 'error':
      return data<PageData>({ values: req.values, error: req.error, check: null }, { status: req.status })
    case 'refused':
      return data<PageData>({ values: req.values, error: null, check: req.check }, { status: 422 })
    case 'ready':
      return data<PageData>({ values: req.values, error: null, check: req.check })
  }
}

const euros = (cents: number) => (cents / 100).toLocaleString('fr-FR', { style: 'currency', currency: 'EUR' })

export default function FecPage() {
  const d = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Export comptable (FEC)"
        subtitle="Le fichier des écritures comptables d’un exercice ou d’une période, au format de l’article A47 A-1 du livre des procédures fiscales."
      />
      {d.error ? (
        <div className="mb-4">
          <Alert tone="error">{d.error}</Alert>
        </div>
      ) : null}
      {d.check?.ok ? (
        <div className="mb-4">
          <Alert tone="success">
            Vérification réussie : {d.check.entries} écritures, {d.check.lines} lignes, débits et crédits égaux ({euros(d.check.debit_cents)}).
          </Alert>
        </div>
      ) : null}
      {d.check && !d.check.ok ? (
        <div className="mb-4">
          <Alert tone="error">
            <p className="font-semibold">Le fichier n’a pas été produit : la vérification a trouvé ces anomalies.</p>
            <ul className="mt-2 list-disc pl-5">
              {d.check.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            <p className="mt-2">
              {d.check.entries} écritures, {d.check.lines} lignes ; débits {euros(d.check.debit_cents)}, crédits {euros(d.check.credit_cents)}.
            </p>
          </Alert>
        </div>
      ) : null}
      <Card>
        {/* A native GET (reloadDocument): the answer is a file to save, not a page to render. */}
        <Form method="get" action="/accounting/fec/telecharger" reloadDocument className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="du" type="date" label="Du" defaultValue={d.values.du} required hint="Premier jour de l’exercice ou de la période." />
            <TextField name="au" type="date" label="Au (date de clôture)" defaultValue={d.values.au} required hint="Elle donne son nom au fichier." />
          </div>
          <SelectField name="encodage" label="Encodage" defaultValue={d.values.encodage}>
            <option value="latin9">ISO 8859-15 (attendu par l’administration)</option>
            <option value="utf8">UTF-8</option>
          </SelectField>
          <p className="text-sm text-slate-700">
            Le fichier est vérifié avant le téléchargement : chaque écriture équilibrée, la numérotation continue par journal, les champs obligatoires remplis.
          </p>
          <Button type="submit">Vérifier et télécharger le FEC</Button>
        </Form>
      </Card>
      <Card title="Factures et règlements (Excel)" className="mt-6">
        <Form method="get" action="/accounting/factures.xlsx" reloadDocument className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="debut" type="date" label="Du" defaultValue={d.values.du} required />
            <TextField name="fin" type="date" label="Au" defaultValue={d.values.au} required />
          </div>
          <p className="text-sm text-slate-700">
            Deux feuilles : les factures, acomptes et avoirs émis sur la période, et les règlements reçus. Montants en euros (nombres), dates au format
            JJ/MM/AAAA.
          </p>
          <Button type="submit">Télécharger le classeur Excel</Button>
        </Form>
      </Card>
    </div>
  )
}
