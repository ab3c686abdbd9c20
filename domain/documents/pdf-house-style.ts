import { pdfFont } from './pdf-fonts.js'

// The house style every A4 document shares (devis, factures, avoirs): the same page,
// header, parties, lines table, totals and footer, so a customer recognises the seller's
// papers. Each document adds its own entries (title sizes, signature box, watermark…).

export const HOUSE_COLORS = { ink: '#111827', muted: '#4b5563', line: '#d1d5db', soft: '#f3f4f6' }
const C = HOUSE_COLORS

const footer = { position: 'absolute', bottom: 24, color: C.muted, borderTopWidth: 0.5, borderTopColor: C.line, paddingTop: 4 } as const

/** Plain style objects, spread into each document's StyleSheet.create. */
export const houseStyles = {
  page: { paddingTop: 36, paddingBottom: 56, paddingHorizontal: 40, fontSize: 9, ...pdfFont.regular, color: C.ink },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'flex-start' },
  logo: { maxHeight: 56, maxWidth: 170, objectFit: 'contain', marginBottom: 6 },
  sellerName: { fontSize: 12, ...pdfFont.bold },
  small: { fontSize: 8, color: C.muted },
  meta: { fontSize: 9, marginTop: 2, textAlign: 'right' },
  bold: { ...pdfFont.bold },
  partyLabel: { fontSize: 7.5, ...pdfFont.bold, color: C.muted, textTransform: 'uppercase', marginBottom: 4, letterSpacing: 0.5 },
  table: { marginTop: 12 },
  th: { flexDirection: 'row', paddingVertical: 5, paddingHorizontal: 4, color: '#ffffff', ...pdfFont.bold, fontSize: 8 },
  tr: { flexDirection: 'row', paddingVertical: 5, paddingHorizontal: 4, borderBottomWidth: 0.5, borderBottomColor: C.line },
  num: { textAlign: 'right' },
  totalRow: { flexDirection: 'row', justifyContent: 'space-between', paddingVertical: 2.5, paddingHorizontal: 6 },
  /** The TTC (or amount due) band, on the brand colour. */
  strongTotal: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingVertical: 6,
    paddingHorizontal: 6,
    marginTop: 3,
    color: '#ffffff',
    ...pdfFont.bold,
    fontSize: 11,
  },
  section: { marginTop: 14 },
  h2: { fontSize: 9.5, ...pdfFont.bold, marginBottom: 3 },
  footerLeft: { ...footer, left: 40, right: 110, fontSize: 6.5 },
  footerRight: { ...footer, right: 40, width: 70, fontSize: 7.5, textAlign: 'right' },
} as const
