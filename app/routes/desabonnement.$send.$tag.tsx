import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Button } from '~/components/ui/button'
import { useT } from '~/i18n/use-t'
import { suppressionOf } from '../../domain/campaigns/suppression'
import { signedSend, unsubscribeSend } from '../../domain/campaigns/tracking'
import { loadCompanySettings } from '../../domain/sales/company-settings'

// /desabonnement/:send/:tag — the unsubscribe link of every campaign e-mail, no login.
// RFC 8058 one-click: a mail client POSTs `List-Unsubscribe=One-Click` here with no
// cookie (and maybe its own Origin: the path is in ORIGIN_EXEMPT), and the POST alone
// unsubscribes — the signed tag is the credential and it names one address. A GET (a
// person, or a link scanner fetching every link) only shows the question and a confirm
// button: it never unsubscribes by itself.

export const meta: MetaFunction = () => [{ title: 'Désabonnement' }, { name: 'robots', content: 'noindex' }]
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

async function resolve({ params, context }: Pick<LoaderFunctionArgs, 'params' | 'context'>) {
  const db = context.runtime.db
  const send = await signedSend(db, 'unsubscribe', params.send ?? '', params.tag ?? '')
  if (!send) throw data({ invalid: true }, { status: 404 })
  const company = await loadCompanySettings(db, send.workspaceId)
  return { send, company: company.company_name }
}

export async function loader(args: LoaderFunctionArgs) {
  const { send, company } = await resolve(args)
  const already = !!(await suppressionOf(args.context.runtime.db, send.workspaceId, send.email))
  return { email: send.email, company, already }
}

export async function action(args: ActionFunctionArgs) {
  const { send, company } = await resolve(args)
  const form = await args.request.formData().catch(() => null)
  const how = form?.get('List-Unsubscribe') === 'One-Click' ? 'one-click' : 'page'
  await unsubscribeSend(args.context.runtime.db, send, args.context.runtime.now(), how)
  return { done: true, email: send.email, company }
}

export default function Unsubscribe() {
  const t = useT()
  const page = useLoaderData<typeof loader>()
  const done = useActionData<typeof action>()
  return (
    <main className="mx-auto max-w-lg p-6">
      <h1 className="mb-4 text-xl font-semibold">{t('unsubscribe.title')}</h1>
      {done ? (
        <p role="status">{t('unsubscribe.done', { email: done.email, company: done.company })}</p>
      ) : page.already ? (
        <p>{t('unsubscribe.already', { email: page.email, company: page.company })}</p>
      ) : (
        <Form method="post" className="space-y-4">
          <p>{t('unsubscribe.question', { email: page.email, company: page.company })}</p>
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <Button>{t('unsubscribe.confirm')}</Button>
        </Form>
      )}
    </main>
  )
}

export function ErrorBoundary() {
  const t = useT()
  return (
    <main className="mx-auto max-w-lg p-6">
      <h1 className="mb-4 text-xl font-semibold">{t('unsubscribe.title')}</h1>
      <p>{t('unsubscribe.invalid')}</p>
    </main>
  )
}
