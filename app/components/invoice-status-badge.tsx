import type { InvoiceDisplayStatus } from '../../domain/invoicing/invoice-rules'
import { useT } from '~/i18n/use-t'
import { Badge, type BadgeTone } from './ui/badge'

const TONE: Record<InvoiceDisplayStatus, BadgeTone> = {
  brouillon: 'slate',
  non_payee: 'indigo',
  partiellement_payee: 'amber',
  payee: 'green',
  en_retard: 'red',
  annulee: 'slate',
  avoir: 'slate',
}

export function InvoiceStatusBadge({ status }: { status: InvoiceDisplayStatus }) {
  const t = useT()
  return <Badge tone={TONE[status]}>{t(`invoice.status.${status}`)}</Badge>
}
