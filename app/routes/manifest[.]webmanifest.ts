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
  shortcuts: [
    { name: 'Affaires', url: '/deals', icons: [icon('icon-192.png', 192, 'any')] },
    { name: 'Organisations', url: '/organisations', icons: [icon('icon-192.png', 192, 'any')] },
  ],
} satisfies WebAppManifest & { id: string }

/** The web app manifest: public, the same for everyone (no session read). */
export const loader = () =>
  new Response(JSON.stringify(manifest), {
    headers: { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  })
