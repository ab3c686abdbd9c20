import { useRouteLoaderData } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { LinkButton } from './ui/button'

/**
 * "Créer un contrat" from a won deal, a signed quote or an organisation: the new-contract
 * form prefilled from it (contracts.new.tsx reads `deal`, `quote`, `organisation`).
 * Hidden from finance, who reads contracts but does not create them.
 */
export function CreateContractLink({ from }: { from: { deal: string } | { quote: string } | { organisation: string } }) {
  const t = useT()
  const root = useRouteLoaderData('root') as { user?: { role?: string } | null } | undefined
  if (!root?.user || root.user.role === 'finance') return null
  const [key, id] = Object.entries(from)[0]
  return (
    <LinkButton to={`/contracts/new?${key}=${encodeURIComponent(id)}`} variant="secondary">
      {t('contract.fromDeal')}
    </LinkButton>
  )
}
