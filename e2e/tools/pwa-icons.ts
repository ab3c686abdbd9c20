// Renders the PWA icons (public/icons/*.png) from the logo of public/favicon.svg with
// Debian's Chromium: `node --import tsx e2e/tools/pwa-icons.ts`. The PNGs are committed;
// run this again only when the logo changes.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../public/icons')
const INDIGO = '#4338ca'
// The "A" of the favicon, drawn on a 32-unit grid centred on (16, 16).
const glyph = (scale: number) =>
  `<g transform="translate(16 16) scale(${scale}) translate(-16 -16)"><path d="M9.5 24 16 8l6.5 16M12 18h8" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></g>`
const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="100%" height="100%">${body}</svg>`

const icons: { file: string; size: number; svg: string }[] = [
  // "any": the favicon's rounded square, transparent corners.
  ...[192, 512].map((size) => ({ file: `icon-${size}.png`, size, svg: svg(`<rect width="32" height="32" rx="7" fill="${INDIGO}"/>${glyph(1)}`) })),
  // "maskable": full bleed, the glyph well inside the 80 % safe circle.
  ...[192, 512].map((size) => ({ file: `icon-maskable-${size}.png`, size, svg: svg(`<rect width="32" height="32" fill="${INDIGO}"/>${glyph(0.8)}`) })),
  // iOS rounds the corners itself and shows transparency as black: full bleed.
  { file: 'apple-touch-icon.png', size: 180, svg: svg(`<rect width="32" height="32" fill="${INDIGO}"/>${glyph(0.9)}`) },
]

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  fs.mkdirSync(out, { recursive: true })
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 })
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${icon.svg}</body></html>`)
    await page.screenshot({ path: path.join(out, icon.file), omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } })
    await page.close()
    console.log(`public/icons/${icon.file} (${icon.size}×${icon.size})`)
  }
} finally {
  await browser.close()
}
