import { Document, G, Line, Page, Path, Polyline, Rect, renderToBuffer, StyleSheet, Svg, Text, View } from '@react-pdf/renderer'
import { pdfFont, registerPdfFonts } from '../../domain/documents/pdf-fonts'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { ReactNode } from 'react'
import type { Widget } from '../../domain/dashboards/widgets'
import { formatGoalPeriod, formatKpi, formatMonth, formatRatio, KPI_DEFS, kpiChange } from '~/components/dashboard/figures'
import { makeT, type Locale, type TFunction } from '~/i18n/i18n'
import type { DashboardModel } from './dashboard.server'
import { formatDateTime, formatEuros, formatInteger } from './format'
import { needsTeamWord } from './team-label'

// The dashboard as a document: A4 PDF (react-pdf, server-side only: the library weighs
// 1.2 MB and must never reach the browser) and PNG (the same document on one tall page,
// rasterised by poppler's pdftoppm). Both take the DashboardModel the screen shows, so
// the figures are the screen's. Charts are vectors (<Svg> rects and lines), every chart
// also has its table. See docs/decisions/0007-dashboard-exports.md.

// DejaVu Sans, embedded, no hyphenation (domain/documents/pdf-fonts.ts).
registerPdfFonts()

// A no-break space does not come back out of text extraction (copy-paste, pdftotext
// gave "0€"): plain spaces. Arrows are drawn, not typed.
const pdfText = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')
const euros = (c: number) => pdfText(formatEuros(c, { rounded: true }))

const C = {
  ink: '#0f172a',
  muted: '#475569',
  line: '#e2e8f0',
  soft: '#f1f5f9',
  indigo: '#4f46e5',
  sky: '#0ea5e9',
  emerald: '#10b981',
  rose: '#e11d48',
  amber: '#f59e0b',
}

const s = StyleSheet.create({
  page: { paddingTop: 36, paddingBottom: 44, paddingHorizontal: 36, fontSize: 9, ...pdfFont.regular, color: C.ink },
  brand: { fontSize: 9, color: C.indigo, ...pdfFont.bold },
  title: { fontSize: 18, ...pdfFont.bold, marginTop: 2 },
  meta: { fontSize: 8.5, color: C.muted, marginTop: 3 },
  filters: { marginTop: 10, padding: 8, backgroundColor: C.soft, borderRadius: 4 },
  filterLine: { fontSize: 9 },
  lag: { marginTop: 8, padding: 6, backgroundColor: '#fffbeb', color: '#78350f', borderRadius: 3 },
  section: { marginTop: 16 },
  h2: { fontSize: 12, ...pdfFont.bold, marginBottom: 6 },
  caption: { fontSize: 8, color: C.muted, marginBottom: 4 },
  table: { borderTopWidth: 1, borderTopColor: C.line },
  tr: { flexDirection: 'row', borderBottomWidth: 1, borderBottomColor: C.line, paddingVertical: 3 },
  th: { ...pdfFont.bold, color: C.muted, fontSize: 8 },
  cell: { paddingRight: 4 },
  num: { textAlign: 'right' },
  bold: { ...pdfFont.bold },
  footer: { position: 'absolute', bottom: 20, left: 36, right: 36, fontSize: 7.5, color: C.muted, flexDirection: 'row', justifyContent: 'space-between' },
  unavailable: { color: '#92400e' },
})

type Col = { label: string; width: number; num?: boolean }

/** A table as rows of cells: widths in fractions of the line, numbers right-aligned. */
function Table({ cols, rows, total }: { cols: Col[]; rows: ReactNode[][]; total?: ReactNode[] }) {
  const cell = (c: Col, v: ReactNode, i: number, bold = false) => (
    <View key={i} style={[s.cell, { width: `${c.width * 100}%` }]}>
      <Text style={[c.num ? s.num : {}, bold ? s.bold : {}]}>{typeof v === 'string' ? pdfText(v) : v}</Text>
    </View>
  )
  return (
    <View style={s.table}>
      <View style={s.tr} fixed>
        {cols.map((c, i) => (
          <View key={i} style={[s.cell, { width: `${c.width * 100}%` }]}>
            <Text style={[s.th, c.num ? s.num : {}]}>{c.label}</Text>
          </View>
        ))}
      </View>
      {rows.map((r, j) => (
        <View key={j} style={s.tr} wrap={false}>
          {r.map((v, i) => cell(cols[i], v, i))}
        </View>
      ))}
      {total ? (
        <View style={s.tr} wrap={false}>
          {total.map((v, i) => cell(cols[i], v, i, true))}
        </View>
      ) : null}
    </View>
  )
}

/** Horizontal bars, one per label: drawn with <Rect>s, not an image. */
function HBars({ items, width = 523, color = C.indigo }: { items: { label: string; value: number; text: string }[]; width?: number; color?: string }) {
  const max = Math.max(1, ...items.map((i) => i.value))
  const labelW = 120
  const valueW = 90
  const barW = width - labelW - valueW
  const rowH = 16
  return (
    <Svg width={width} height={items.length * rowH + 4} viewBox={`0 0 ${width} ${items.length * rowH + 4}`}>
      {items.map((it, i) => (
        <G key={i}>
          <Text x={0} y={i * rowH + 11} style={{ fontSize: 8 }} fill={C.ink}>
            {pdfText(it.label)}
          </Text>
          <Rect x={labelW} y={i * rowH + 3} width={barW} height={10} fill={C.soft} />
          <Rect x={labelW} y={i * rowH + 3} width={Math.max(1, (it.value / max) * barW)} height={10} fill={color} />
          <Text x={labelW + barW + 6} y={i * rowH + 11} style={{ fontSize: 8 }} fill={C.ink}>
            {pdfText(it.text)}
          </Text>
        </G>
      ))}
    </Svg>
  )
}

/** Twelve months: won revenue as bars, pipeline created as a line, with a zero axis and a top gridline. */
function TrendChart({ months, t }: { months: { month: string; won: number; created: number }[]; t: TFunction }) {
  const W = 523
  const H = 150
  const left = 8
  const bottom = 18
  const top = 14
  const plotH = H - bottom - top
  const max = Math.max(1, ...months.map((m) => Math.max(m.won, m.created)))
  const step = (W - left) / Math.max(1, months.length)
  const y = (v: number) => top + plotH - (v / max) * plotH
  const points = months.map((m, i) => `${left + i * step + step / 2},${y(m.created)}`).join(' ')
  return (
    <Svg width={W} height={H} viewBox={`0 0 ${W} ${H}`}>
      <Line x1={left} y1={top} x2={W} y2={top} stroke={C.line} strokeWidth={0.5} />
      <Text x={left} y={top - 4} style={{ fontSize: 7 }} fill={C.muted}>
        {euros(max)}
      </Text>
      {months.map((m, i) => (
        <G key={m.month}>
          <Rect x={left + i * step + step * 0.2} y={y(m.won)} width={step * 0.6} height={Math.max(0, top + plotH - y(m.won))} fill={C.emerald} />
          <Text x={left + i * step + step * 0.15} y={H - 5} style={{ fontSize: 6.5 }} fill={C.muted}>
            {pdfText(formatMonth(m.month))}
          </Text>
        </G>
      ))}
      <Line x1={left} y1={top + plotH} x2={W} y2={top + plotH} stroke={C.muted} strokeWidth={0.75} />
      <Polyline points={points} stroke={C.indigo} strokeWidth={1.5} fill="none" />
      {months.map((m, i) => (
        <Rect key={`p${i}`} x={left + i * step + step / 2 - 1.5} y={y(m.created) - 1.5} width={3} height={3} fill={C.indigo} />
      ))}
      <Rect x={W - 190} y={0} width={8} height={8} fill={C.emerald} />
      <Text x={W - 178} y={7} style={{ fontSize: 7 }} fill={C.ink}>
        {t('dash.trend.won')}
      </Text>
      <Rect x={W - 100} y={3} width={10} height={2} fill={C.indigo} />
      <Text x={W - 86} y={7} style={{ fontSize: 7 }} fill={C.ink}>
        {t('dash.trend.created')}
      </Text>
    </Svg>
  )
}

/** ▲ / ▼ as small filled triangles (drawn, so they keep their size and colour), with the amount beside. */
function ChangeMark({ direction, amount, tone }: { direction: string; amount: string; tone: string }) {
  if (direction !== 'up' && direction !== 'down') return <Text style={s.num}>{direction === 'flat' ? '=' : '—'}</Text>
  const color = tone === 'good' ? '#047857' : tone === 'bad' ? '#be123c' : C.muted
  return (
    <View style={{ flexDirection: 'row', justifyContent: 'flex-end', alignItems: 'center' }}>
      <Svg width={7} height={7} viewBox="0 0 10 10" style={{ marginRight: 3 }}>
        <Path d={direction === 'up' ? 'M5 0 L10 10 L0 10 Z' : 'M0 0 L10 0 L5 10 Z'} fill={color} />
      </Svg>
      <Text style={{ color }}>{`${direction === 'up' ? '+' : '-'}${pdfText(amount)}`}</Text>
    </View>
  )
}

function WidgetSection({ widget, model, t }: { widget: Widget; model: DashboardModel; t: TFunction }) {
  const v = model.data[widget.kind]
  const title = t(`dash.widget.${widget.kind}`)
  const body = (() => {
    if (v === null || v === undefined) return <Text style={s.unavailable}>{t('dash.unavailable')}</Text>
    switch (widget.kind) {
      case 'kpis': {
        const k = model.data.kpis!
        return (
          <Table
            cols={[
              { label: t('dash.pdf.indicator'), width: 0.34 },
              { label: t('dash.pdf.period'), width: 0.22, num: true },
              { label: t('dash.pdf.previous'), width: 0.24, num: true },
              { label: t('dash.pdf.change'), width: 0.2, num: true },
            ]}
            rows={KPI_DEFS.map((def) => {
              const c = kpiChange(def, k.current[def.key], k.previous[def.key])
              return [
                t(def.label),
                <Text key="v" style={[s.num, s.bold]}>
                  {pdfText(formatKpi(def, k.current[def.key]))}
                </Text>,
                formatKpi(def, k.previous[def.key]),
                <ChangeMark key="c" {...c} />,
              ]
            })}
          />
        )
      }
      case 'funnel': {
        const f = model.data.funnel!
        if (f.every((x) => x.reached === 0)) return <Text>{t('dash.noData')}</Text>
        return (
          <>
            <Text style={s.caption}>{t('dash.funnel.caption')}</Text>
            <HBars items={f.map((x) => ({ label: x.label, value: x.reached, text: formatInteger(x.reached) }))} />
            <Table
              cols={[
                { label: t('dash.funnel.stage'), width: 0.34 },
                { label: t('dash.funnel.reached'), width: 0.18, num: true },
                { label: t('dash.funnel.amount'), width: 0.26, num: true },
                { label: t('dash.funnel.conversion'), width: 0.22, num: true },
              ]}
              rows={f.map((x) => [
                x.label,
                formatInteger(x.reached),
                euros(x.amount_cents),
                x.conversion_to_next === null ? '—' : formatRatio(x.conversion_to_next),
              ])}
            />
          </>
        )
      }
      case 'top-performers': {
        const rows = model.data['top-performers']!
        if (!rows.length) return <Text>{t('dash.noData')}</Text>
        return (
          <>
            <HBars color={C.emerald} items={rows.map((r) => ({ label: r.owner_name, value: r.revenue_won_cents, text: euros(r.revenue_won_cents) }))} />
            <Table
              cols={[
                { label: '#', width: 0.06 },
                { label: t('dash.top.name'), width: 0.34 },
                { label: t('dash.top.revenue'), width: 0.2, num: true },
                { label: t('dash.top.won'), width: 0.13, num: true },
                { label: t('dash.top.lost'), width: 0.13, num: true },
                { label: t('dash.top.rate'), width: 0.14, num: true },
              ]}
              rows={rows.map((r, i) => [
                String(i + 1),
                r.owner_name,
                euros(r.revenue_won_cents),
                formatInteger(r.won_count),
                formatInteger(r.lost_count),
                formatRatio(r.win_rate),
              ])}
            />
          </>
        )
      }
      case 'recent-activity': {
        const items = model.data['recent-activity']!
        if (!items.length) return <Text>{t('dash.noData')}</Text>
        return (
          <Table
            cols={[
              { label: t('dash.pdf.date'), width: 0.17 },
              { label: t('dash.pdf.event'), width: 0.15 },
              { label: t('dash.pdf.deal'), width: 0.34 },
              { label: t('dash.funnel.amount'), width: 0.12, num: true },
              { label: t('dash.pdf.by'), width: 0.22 },
            ]}
            rows={items.map((i) => [
              formatDateTime(i.at),
              i.kind === 'activity' ? t('dash.recent.activity') : t(`dash.recent.${i.kind}`),
              i.organisation_name ? `${i.title} — ${i.organisation_name}` : i.title,
              i.amount_cents === null ? '' : euros(i.amount_cents),
              i.actor_name ?? '',
            ])}
          />
        )
      }
      case 'goals': {
        const goals = model.data.goals!
        if (!goals.length) return <Text>{t('dash.goals.none')}</Text>
        return (
          <>
            <HBars
              color={C.indigo}
              items={goals.map((g) => ({
                label: `${g.scope_name} · ${formatGoalPeriod(g.period)}`,
                value: Math.min(1, g.ratio) * 1000,
                text: formatRatio(g.ratio),
              }))}
            />
            <Table
              cols={[
                { label: t('dash.goals.who'), width: 0.3 },
                { label: t('dash.goals.period'), width: 0.14 },
                { label: t('dash.goals.target'), width: 0.2, num: true },
                { label: t('dash.goals.actual'), width: 0.2, num: true },
                { label: t('dash.goals.ratio'), width: 0.16, num: true },
              ]}
              rows={goals.map((g) => [
                `${g.scope === 'team' && needsTeamWord(g.scope_name, t('dash.goals.team')) ? `${t('dash.goals.team')} ` : ''}${g.scope_name}`,
                formatGoalPeriod(g.period),
                euros(g.target_cents),
                euros(g.actual_cents),
                formatRatio(g.ratio),
              ])}
            />
          </>
        )
      }
      case 'revenue-trend': {
        const months = model.data['revenue-trend']!
        const total = months.reduce((a, m) => ({ won: a.won + m.won_cents, created: a.created + m.pipeline_created_cents }), { won: 0, created: 0 })
        return (
          <>
            <Text style={s.caption}>{t('dash.trend.caption')}</Text>
            <TrendChart t={t} months={months.map((m) => ({ month: m.month, won: m.won_cents, created: m.pipeline_created_cents }))} />
            <Table
              cols={[
                { label: t('dash.trend.month'), width: 0.4 },
                { label: t('dash.trend.won'), width: 0.3, num: true },
                { label: t('dash.trend.created'), width: 0.3, num: true },
              ]}
              rows={months.map((m) => [
                `${formatMonth(m.month, true)}${m.partial ? ` (${t('dash.trend.partial')})` : ''}`,
                euros(m.won_cents),
                euros(m.pipeline_created_cents),
              ])}
              total={[t('dashboard.total'), euros(total.won), euros(total.created)]}
            />
          </>
        )
      }
      case 'pipeline-by-stage': {
        const rows = model.data['pipeline-by-stage']!
        if (!rows.length) return <Text>{t('dashboard.empty')}</Text>
        const total = rows.reduce((a, r) => ({ deals: a.deals + r.deals, amount: a.amount + r.amountCents, weighted: a.weighted + r.weightedCents }), {
          deals: 0,
          amount: 0,
          weighted: 0,
        })
        return (
          <>
            <Text style={s.caption}>{t('dashboard.pipelineCaption')}</Text>
            <HBars items={rows.map((r) => ({ label: r.label, value: r.amountCents, text: euros(r.amountCents) }))} />
            <Table
              cols={[
                { label: t('dashboard.stage'), width: 0.34 },
                { label: t('dashboard.deals'), width: 0.14, num: true },
                { label: t('dashboard.amount'), width: 0.26, num: true },
                { label: t('dashboard.weighted'), width: 0.26, num: true },
              ]}
              rows={rows.map((r) => [r.label, formatInteger(r.deals), pdfText(formatEuros(r.amountCents)), pdfText(formatEuros(r.weightedCents))])}
              total={[t('dashboard.total'), formatInteger(total.deals), pdfText(formatEuros(total.amount)), pdfText(formatEuros(total.weighted))]}
            />
          </>
        )
      }
      case 'recurring-revenue': {
        const r = model.data['recurring-revenue']!
        const x = r.summary
        return (
          <Table
            cols={[
              { label: t('dash.pdf.indicator'), width: 0.6 },
              { label: t('dash.pdf.period'), width: 0.4, num: true },
            ]}
            rows={[
              [t('revenue.mrr'), euros(x.mrr)],
              [t('revenue.arr'), euros(x.arr)],
              [t('revenue.nrr'), formatRatio(x.nrr)],
              [t('revenue.logoChurn'), formatRatio(x.logoChurn, true)],
              [t('revenue.new'), euros(x.movements.new)],
              [t('revenue.expansion'), euros(x.movements.expansion)],
              [t('revenue.contraction'), euros(x.movements.contraction)],
              [t('revenue.churn'), euros(x.movements.churn)],
            ]}
          />
        )
      }
    }
  })()
  return (
    <View style={s.section} wrap={widget.kind !== 'kpis'}>
      <Text style={s.h2} minPresenceAhead={140}>
        {title}
      </Text>
      {body}
    </View>
  )
}

function DashboardDocument({ model, locale, onePage }: { model: DashboardModel; locale: Locale; onePage: boolean }) {
  const t = makeT(locale)
  const { summary } = model.view
  const generated = pdfText(formatDateTime(model.generatedAt))
  return (
    <Document
      title={`${t('dashboard.title')} — ${model.viewer.workspace}`}
      author="Alforis CRM"
      subject={summary.period}
      language={locale}
      creator="Alforis CRM"
      producer="Alforis CRM"
    >
      {/* One tall page for the PNG: no page breaks in the middle of a picture. */}
      <Page size={onePage ? { width: 595 } : 'A4'} style={s.page} wrap={!onePage}>
        <Text style={s.brand}>Alforis CRM · {pdfText(model.viewer.workspace)}</Text>
        <Text style={s.title}>{t('dashboard.title')}</Text>
        <Text style={s.meta}>{pdfText(`${model.viewer.name} (${t(`role.${model.viewer.role}`)}) · ${generated}`)}</Text>
        <View style={s.filters}>
          <Text style={s.filterLine}>{pdfText(`${t('dash.filter.period')} : ${summary.period}`)}</Text>
          {summary.team ? <Text style={s.filterLine}>{pdfText(`${t('dash.filter.team')} : ${summary.team}`)}</Text> : null}
          <Text style={s.filterLine}>{pdfText(`${t('dash.filter.owner')} : ${summary.owner ?? t('dash.filter.allOwners')}`)}</Text>
        </View>
        {model.lag ? (
          <Text style={s.lag}>{pdfText(t('dash.lagNotice', { seconds: Math.round(model.lag.seconds), events: formatInteger(model.lag.events) }))}</Text>
        ) : null}
        {model.widgets.map((w) => (
          <WidgetSection key={w.id} widget={w} model={model} t={t} />
        ))}
        {onePage ? null : (
          <View style={s.footer} fixed>
            <Text>{pdfText(`${t('dashboard.title')} · ${summary.period}`)}</Text>
            <Text render={({ pageNumber, totalPages }) => `${pageNumber} / ${totalPages}`} />
          </View>
        )}
      </Page>
    </Document>
  )
}

/** The dashboard as an A4 PDF. */
export function renderDashboardPdf(model: DashboardModel, locale: Locale = 'fr'): Promise<Buffer> {
  return renderToBuffer(<DashboardDocument model={model} locale={locale} onePage={false} />)
}

const run = promisify(execFile)

/** Where poppler's pdftoppm is, or null (PDFTOPPM_PATH, else the PATH). */
export function pdftoppmPath(): string | null {
  const candidates = [process.env.PDFTOPPM_PATH, ...(process.env.PATH ?? '').split(path.delimiter).map((d) => d && path.join(d, 'pdftoppm'))]
  for (const c of candidates) {
    if (!c) continue
    try {
      fs.accessSync(c, fs.constants.X_OK)
      return c
    } catch {
      /* next */
    }
  }
  return null
}

/**
 * The dashboard as a PNG: the same document laid out on one page as tall as its
 * content, rasterised at 144 dpi (2× a screen). Null when pdftoppm is not installed.
 */
export async function renderDashboardPng(model: DashboardModel, locale: Locale = 'fr'): Promise<Buffer | null> {
  const bin = pdftoppmPath()
  if (!bin) return null
  const pdf = await renderToBuffer(<DashboardDocument model={model} locale={locale} onePage />)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-png-'))
  try {
    fs.writeFileSync(path.join(dir, 'd.pdf'), pdf)
    await run(bin, ['-png', '-r', '144', '-singlefile', '-f', '1', '-l', '1', path.join(dir, 'd.pdf'), path.join(dir, 'd')], { timeout: 30_000 })
    return fs.readFileSync(path.join(dir, 'd.png'))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
