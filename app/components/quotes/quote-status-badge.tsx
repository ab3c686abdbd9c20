import type { QuoteStatus } from '../../../db/schema'
import { Badge, type BadgeTone } from '~/components/ui/badge'
import { useT } from '~/i18n/use-t'

const TONE: Record<QuoteStatus, BadgeTone> = { brouillon: 'slate', envoye: 'indigo', accepte: 'green', refuse: 'red', expire: 'amber' }

export function QuoteStatusBadge({ status }: { status: QuoteStatus }) {
  const t = useT()
  return <Badge tone={TONE[status]}>{t(`quote.status.${status}`)}</Badge>
}
