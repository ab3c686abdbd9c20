import { useRouteLoaderData } from '@remix-run/react'

/** The session's CSRF token (root loader), for forms and fetcher posts built in code. */
export function useCsrf(): string {
  return (useRouteLoaderData('root') as { csrf?: string | null } | undefined)?.csrf ?? ''
}

/** The session's CSRF token as a hidden field: put one in every POST form. */
export function AuthenticityTokenInput() {
  return <input type="hidden" name="csrf" value={useCsrf()} />
}
