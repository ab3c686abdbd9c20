import { en } from './en'
import { fr, type MessageKey } from './fr'

export type Locale = 'fr' | 'en'
export type { MessageKey }
export type TFunction = (key: MessageKey, params?: Record<string, string | number>) => string

const catalogues: Record<Locale, Record<MessageKey, string>> = { fr, en }

/** Any stored or requested locale ("fr-FR", "en", null) to one we have; French first. */
export function toLocale(value: string | null | undefined): Locale {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'fr'
}

/** t('nav.signedInAs', { name }) — falls back to French if a catalogue lacks a key. */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const template = catalogues[locale][key] ?? fr[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

export const makeT =
  (locale: Locale): TFunction =>
  (key, params) =>
    translate(locale, key, params)
