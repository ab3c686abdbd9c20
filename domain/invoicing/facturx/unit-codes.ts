// The free unit label typed on a line ("jour", "m²", "licence") as the UN/ECE
// Recommendation 20 code EN 16931 requires (BT-130). The label stays printed on the PDF
// as typed; an unknown label is counted in units (C62 "one"), which is what a quantity
// of licences, pieces or lots is.

const CODES: [RegExp, string][] = [
  [/^(h|heures?|hr)$/, 'HUR'],
  [/^(j|jours?|journ[ée]es?)$/, 'DAY'],
  [/^(sem|semaines?)$/, 'WEE'],
  [/^(mois)$/, 'MON'],
  [/^(ans?|ann[ée]es?)$/, 'ANN'],
  [/^(min|minutes?)$/, 'MIN'],
  [/^(forfaits?|lot)$/, 'LS'],
  [/^(m²|m2)$/, 'MTK'],
  [/^(m³|m3)$/, 'MTQ'],
  [/^(m|m[èe]tres?|ml)$/, 'MTR'],
  [/^(km|kilom[èe]tres?)$/, 'KMT'],
  [/^(kg|kilos?|kilogrammes?)$/, 'KGM'],
  [/^(g|grammes?)$/, 'GRM'],
  [/^(t|tonnes?)$/, 'TNE'],
  [/^(l|litres?)$/, 'LTR'],
  [/^(kwh)$/, 'KWH'],
]

export function unitCode(label: string | null): string {
  const s = (label ?? '').trim().toLowerCase()
  for (const [re, code] of CODES) if (re.test(s)) return code
  return 'C62'
}
