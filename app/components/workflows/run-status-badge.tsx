import { Badge, type BadgeTone } from '~/components/ui/badge'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'

const RUN_TONE: Record<string, BadgeTone> = {
  queued: 'slate',
  running: 'indigo',
  waiting: 'amber',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'slate',
  skipped: 'slate',
}
const STEP_TONE: Record<string, BadgeTone> = { running: 'indigo', succeeded: 'green', failed: 'red', retrying: 'amber', waiting: 'amber', skipped: 'slate' }

export function RunStatusBadge({ status }: { status: string }) {
  const t = useT()
  return <Badge tone={RUN_TONE[status] ?? 'slate'}>{t(`wfRuns.status.${status}` as MessageKey)}</Badge>
}

export function StepStatusBadge({ status }: { status: string }) {
  const t = useT()
  return <Badge tone={STEP_TONE[status] ?? 'slate'}>{t(`wfStep.status.${status}` as MessageKey)}</Badge>
}
