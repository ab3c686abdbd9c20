// What French Excel does to identifiers when it opens and re-saves a CSV, and what the
// import makes of it. A postal code loses its leading zero ("04400" → "4400"): the digits
// are all there, so it is padded back and reported. A 14-digit SIRET becomes
// "8,32289E+13": the last digits are gone for good, so the row is refused.

/** "8,32289E+13", "8.32289E+13", "8,32E13": a number Excel wrote in scientific notation. */
export const isExcelScientific = (v: string | undefined): boolean => !!v && /^\d+(?:[.,]\d+)?\s*E\s*\+?\d+$/i.test(v.trim())

/** "4400" → "04400" (corrected); anything else is left as it is for the usual validation. */
export function excelPostalCode(v: string | undefined): { value: string | undefined; corrected: boolean } {
  if (v !== undefined && /^\d{4}$/.test(v.trim())) return { value: `0${v.trim()}`, corrected: true }
  return { value: v, corrected: false }
}
