import type { Role } from '../../db/schema.js'

// What a dashboard is made of. Pure data, shared by the server and the browser (the
// editor lists the kinds and sizes): no IO here.

export const WIDGET_KINDS = ['kpis', 'funnel', 'top-performers', 'recent-activity', 'goals', 'revenue-trend', 'pipeline-by-stage', 'recurring-revenue'] as const
export type WidgetKind = (typeof WIDGET_KINDS)[number]

/** Share of the row on a wide screen: sm a third, md a half, lg two thirds, full all. Phones stack them. */
export const WIDGET_SIZES = ['sm', 'md', 'lg', 'full'] as const
export type WidgetSize = (typeof WIDGET_SIZES)[number]

export type Widget = { id: string; kind: WidgetKind; size: WidgetSize; settings: Record<string, unknown> }

export const isWidgetKind = (v: unknown): v is WidgetKind => typeof v === 'string' && (WIDGET_KINDS as readonly string[]).includes(v)
export const isWidgetSize = (v: unknown): v is WidgetSize => typeof v === 'string' && (WIDGET_SIZES as readonly string[]).includes(v)

/** The size a widget gets when added without one. */
export const DEFAULT_SIZE: Record<WidgetKind, WidgetSize> = {
  kpis: 'full',
  funnel: 'md',
  'top-performers': 'md',
  'recent-activity': 'sm',
  goals: 'sm',
  'revenue-trend': 'lg',
  'pipeline-by-stage': 'lg',
  'recurring-revenue': 'md',
}

const w = (kind: WidgetKind, size: WidgetSize): Widget => ({ id: kind, kind, size, settings: {} })

/**
 * The layout a user starts from (and returns to with "Réinitialiser selon mon rôle"):
 * what each role looks at first. Template widgets are identified by their kind.
 */
export const ROLE_TEMPLATES: Record<Role, Widget[]> = {
  // The manager's main screen: results against goals, then where the next ones come from.
  manager: [
    w('kpis', 'full'),
    w('revenue-trend', 'lg'),
    w('goals', 'sm'),
    w('funnel', 'md'),
    w('top-performers', 'md'),
    w('pipeline-by-stage', 'lg'),
    w('recent-activity', 'sm'),
  ],
  admin: [w('kpis', 'full'), w('revenue-trend', 'lg'), w('goals', 'sm'), w('top-performers', 'md'), w('funnel', 'md'), w('pipeline-by-stage', 'full')],
  // A rep: own goal and own pipeline first, then what happened lately.
  commercial: [w('kpis', 'full'), w('goals', 'sm'), w('pipeline-by-stage', 'lg'), w('funnel', 'md'), w('recent-activity', 'md'), w('revenue-trend', 'full')],
  finance: [w('kpis', 'full'), w('revenue-trend', 'full'), w('goals', 'md'), w('top-performers', 'md'), w('pipeline-by-stage', 'full')],
}

export const templateFor = (role: Role): Widget[] => ROLE_TEMPLATES[role].map((x) => ({ ...x, settings: { ...x.settings } }))

/** A stored widgets value read defensively (jsonb written by an older version, or by hand). */
export function parseWidgets(value: unknown): Widget[] {
  if (!Array.isArray(value)) return []
  const seen = new Set<string>()
  const out: Widget[] = []
  for (const v of value) {
    if (!v || typeof v !== 'object') continue
    const o = v as Record<string, unknown>
    if (typeof o.id !== 'string' || !isWidgetKind(o.kind) || seen.has(o.kind)) continue
    seen.add(o.kind)
    out.push({
      id: o.id,
      kind: o.kind,
      size: isWidgetSize(o.size) ? o.size : DEFAULT_SIZE[o.kind],
      settings: o.settings && typeof o.settings === 'object' ? (o.settings as Record<string, unknown>) : {},
    })
  }
  return out
}
