import { render } from '@react-email/render'
import { createElement } from 'react'
import { appUrl } from '../shared/app-url.js'
import { TEMPLATES, type TemplateName, type TemplateProps } from './templates/index.js'

export type RenderedEmail = { subject: string; html: string; text: string }

/**
 * One template to its subject, HTML and plain-text parts (react-email).
 *
 * @example const { subject, html, text } = await renderEmail('notification', { title: 'Bonjour' })
 */
export async function renderEmail<K extends TemplateName>(template: K, props: TemplateProps<K>, opts: { appUrl?: string } = {}): Promise<RenderedEmail> {
  const t = TEMPLATES[template] as unknown as { subject: (p: object) => string; Component: React.ComponentType<object> }
  const full = { ...props, appUrl: opts.appUrl ?? appUrl() }
  const element = createElement(t.Component, full)
  const [html, text] = await Promise.all([
    render(element),
    render(element, { plainText: true, htmlToTextOptions: { selectors: [{ selector: 'h1', options: { uppercase: false } }] } }),
  ])
  return { subject: t.subject(full), html, text }
}
