import type { WebAppManifest } from '@remix-pwa/dev'

/** Brand indigo (indigo-700, the logo's square) and the page background (slate-50). */
const THEME_COLOR = '#4338ca'
const BACKGROUND_COLOR = '#f8fafc'

const icon = (file: string, size: number, purpose: 'any' | 'maskable') => ({ src: `/icons/${file}`, sizes: `${size}x${size}`, type: 'image/png', purpose })

const manifest = {
  id: '/',
  name: 'Alforis CRM',
  short_name: 'Alforis',
  description: 'Le CRM des équipes commerciales et financières B2B : organisations, affaires, pipeline et tableaux de bord.',
  lang: 'fr',
  dir: 'ltr',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  theme_color: THEME_COLOR,
  background_color: BACKGROUND_COLOR,
  categories: ['business', 'productivity'],
  icons: [
    icon('icon-192.png', 192, 'any'),
    icon('icon-512.png', 512, 'any'),
    icon('icon-maskable-192.png', 192, 'maskable'),
    icon('icon-maskable-512.png', 512, 'maskable'),
  ],
  // Long-press on the home-screen icon. A note is written on its record: "Nouvelle note"
  // opens the note form, which asks for the record when none is given.
  shortcuts: [
    { name: 'Nouvelle note', short_name: 'Note', url: '/activities?type=note', icons: [icon('icon-192.png', 192, 'any')] },
    { name: 'Mes tâches', short_name: 'Tâches', url: '/tasks', icons: [icon('icon-192.png', 192, 'any')] },
    { name: 'Affaires', url: '/deals', icons: [icon('icon-192.png', 192, 'any')] },
  ],
  // Shown by the install dialogs (Android "richer install UI", desktop Chrome). Drawn from a
  // static page (e2e/tools/make-manifest-screenshots.sh): no customer data in them.
  screenshots: [
    { src: '/screenshots/phone.png', sizes: '540x1170', type: 'image/png', form_factor: 'narrow', label: 'Tableau de bord sur téléphone' },
    { src: '/screenshots/desktop.png', sizes: '1280x720', type: 'image/png', form_factor: 'wide', label: 'Tableau de bord sur ordinateur' },
  ],
} satisfies Omit<WebAppManifest, 'screenshots'> & {
  id: string
  screenshots: (NonNullable<WebAppManifest['screenshots']>[number] & { form_factor: 'narrow' | 'wide' })[]
}

/** The web app manifest: public, the same for everyone (no session read). */
export const loader = () =>
  new Response(JSON.stringify(manifest), {
    headers: { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  })
