import { useRouteLoaderData } from '@remix-run/react'

/** The session's CSRF token as a hidden field: put one in every POST form. */
export function AuthenticityTokenInput() {
  const root = useRouteLoaderData('root') as { csrf?: string | null } | undefined
  return <input type="hidden" name="csrf" value={root?.csrf ?? ''} />
}
