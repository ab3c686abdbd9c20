import type { TFunction } from '~/i18n/i18n'
import { VARIABLES, type Trigger } from '../../../domain/workflows/workflow.definition'

/** A trigger in French words for lists: « Une affaire change d’étape (Proposition → Signé) ». */
export function describeTrigger(trigger: Trigger, t: TFunction, stages: Array<{ code: string; label: string }>): string {
  const stage = (code: string | null) => (code ? (stages.find((s) => s.code === code)?.label ?? code) : t('wf.trigger.anyStage'))
  const base = t(`wf.trigger.${trigger.kind}` as 'wf.trigger.webhook')
  switch (trigger.kind) {
    case 'deal.stage_changed':
      return `${base} (${stage(trigger.from)} → ${stage(trigger.to)})`
    case 'deal.updated':
    case 'organisation.updated':
      return trigger.fields.length ? `${base} (${trigger.fields.map((f) => VARIABLES.find((v) => v.path === f)?.label ?? f).join(', ')})` : base
    case 'inactivity':
      return `${t('wf.trigger.inactivityDays', { days: trigger.days })} (${t(`wf.trigger.entity.${trigger.entity}`)}${trigger.stage ? `, ${stage(trigger.stage)}` : ''})`
    case 'schedule':
      return `${base} : ${trigger.cron}`
    default:
      return base
  }
}
