import { createRequire } from 'node:module'
import path from 'node:path'
import { Font } from '@react-pdf/renderer'

// The one typeface of every PDF the app draws (quotes, dashboard exports, and the
// invoices and reports to come): DejaVu Sans, embedded (subset) in each file. The PDF
// standard fonts (Helvetica…) are not embedded and only cover Windows-1252, so
// "CO₂, Łódź, ≥ 3 → ✓" came out garbled; DejaVu Sans covers Latin, Greek, Cyrillic,
// arrows, maths operators and common symbols.
//
// Licence: the DejaVu fonts are under the Bitstream Vera / Arev fonts licence (free to
// use, embed and redistribute, including commercially; only selling the fonts alone
// and reusing their names for modified fonts are restricted). The TTF files come from
// the `dejavu-fonts-ttf` npm package (node_modules/dejavu-fonts-ttf/LICENSE).

export const PDF_FONT_FAMILY = 'DejaVu Sans'

// Resolved from the package at run time: the built server (build/server) and the
// sources find the same node_modules.
const ttfDir = () => path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')

let registered = false

/** Registers DejaVu Sans (regular, bold, oblique, bold oblique) once per process. */
export function registerPdfFonts(): void {
  if (registered) return
  const dir = ttfDir()
  Font.register({
    family: PDF_FONT_FAMILY,
    fonts: [
      { src: path.join(dir, 'DejaVuSans.ttf') },
      { src: path.join(dir, 'DejaVuSans-Bold.ttf'), fontWeight: 'bold' },
      { src: path.join(dir, 'DejaVuSans-Oblique.ttf'), fontStyle: 'italic' },
      { src: path.join(dir, 'DejaVuSans-BoldOblique.ttf'), fontWeight: 'bold', fontStyle: 'italic' },
    ],
  })
  // Words are never hyphenated (French hyphenation rules are not in react-pdf).
  Font.registerHyphenationCallback((word) => [word])
  registered = true
}

/** Style fragments for react-pdf's StyleSheet: `{ ...pdfFont.bold, fontSize: 12 }`. */
export const pdfFont = {
  regular: { fontFamily: PDF_FONT_FAMILY },
  bold: { fontFamily: PDF_FONT_FAMILY, fontWeight: 'bold' as const },
  oblique: { fontFamily: PDF_FONT_FAMILY, fontStyle: 'italic' as const },
}
