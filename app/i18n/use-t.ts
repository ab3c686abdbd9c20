import { useRouteLoaderData } from '@remix-run/react'
import { makeT, type Locale } from './i18n'

/** The locale the root loader chose (the user's, else French). */
export function useLocale(): Locale {
  const root = useRouteLoaderData('root') as { locale?: Locale } | undefined
  return root?.locale ?? 'fr'
}

export function useT() {
  return makeT(useLocale())
}
