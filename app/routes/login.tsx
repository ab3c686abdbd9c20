import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { TextField } from '~/components/ui/field'
import { toLocale } from '~/i18n/i18n'
import { makeT } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { getAuth } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { assertLoginCsrf, assertSameOrigin, loginCsrfToken } from '~/utils/csrf.server'
import { LOGIN_WINDOW_MINUTES, attemptLogin } from '~/utils/login.server'
import { createSession } from '~/utils/session.server'

export const meta: MetaFunction = () => [{ title: 'Connexion — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get('redirectTo'))
  if (await getAuth(request, context)) throw redirect(redirectTo)
  const { token, setCookie } = await loginCsrfToken(request)
  return data({ token, redirectTo }, { headers: setCookie ? { 'Set-Cookie': setCookie, 'Cache-Control': 'no-store' } : { 'Cache-Control': 'no-store' } })
}

type LoginFailure = { errors: { email?: string; password?: string }; formError?: string; email: string }

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request)
  const form = await request.formData()
  await assertLoginCsrf(request, form)
  const t = makeT(toLocale(request.headers.get('Accept-Language')?.split(',')[0]))
  const email = String(form.get('email') ?? '').trim()
  const password = String(form.get('password') ?? '')
  const errors: LoginFailure['errors'] = {}
  if (!email) errors.email = t('login.emailRequired')
  if (!password) errors.password = t('login.passwordRequired')
  if (errors.email || errors.password) return data<LoginFailure>({ errors, email }, { status: 400 })

  const ip = context.clientIp ?? null
  const result = await attemptLogin(context.runtime.db, { email, password, ip, now: context.runtime.now() })
  if (!result.ok) {
    const formError = result.reason === 'tooMany' ? t('login.tooMany', { minutes: LOGIN_WINDOW_MINUTES }) : t('login.invalid')
    return data<LoginFailure>({ errors: {}, formError, email }, { status: result.reason === 'tooMany' ? 429 : 401 })
  }
  const setCookie = await createSession(context.runtime.db, request, { userId: result.user.id, workspaceId: result.user.workspaceId, ip })
  throw redirect(safeRedirectTo(form.get('redirectTo')), { headers: { 'Set-Cookie': setCookie } })
}

export default function Login() {
  const { token, redirectTo } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>() as LoginFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  return (
    <main id="main" className="flex min-h-screen items-center justify-center bg-gradient-to-br from-indigo-50 via-slate-50 to-white px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <span aria-hidden="true" className="mx-auto mb-3 grid h-12 w-12 place-items-center rounded-xl bg-indigo-700 text-xl font-bold text-white shadow">
            A
          </span>
          <p className="text-lg font-bold text-indigo-800">{t('app.name')}</p>
          <h1 className="mt-4 text-2xl font-bold tracking-tight text-slate-900">{t('login.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('login.subtitle')}</p>
        </div>
        <Form method="post" className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
          <input type="hidden" name="csrf" value={token} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
          <TextField
            name="email"
            type="email"
            label={t('login.email')}
            autoComplete="username"
            required
            defaultValue={failure?.email ?? ''}
            error={failure?.errors.email}
          />
          <TextField name="password" type="password" label={t('login.password')} autoComplete="current-password" required error={failure?.errors.password} />
          <Button className="w-full" disabled={navigation.state === 'submitting'}>
            {t('login.submit')}
          </Button>
        </Form>
      </div>
    </main>
  )
}
