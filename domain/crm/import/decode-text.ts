import iconv from 'iconv-lite'
import { ValidationError } from '../../shared/errors.js'
import { normaliseLineBreaks, withoutControlCharacters } from '../../shared/user-text.js'

// The ONE place an imported file's bytes become text (organisations, contacts, products
// and every later import). Node 20's own TextDecoder('windows-1252') maps 0x80–0x9F to
// C1 control characters since 20.18.3, so "Sœurs – L’Œnothèque €" lost its œ ’ – € and
// stored invisible controls: iconv-lite has its own tables and does not depend on ICU.
//
// Detection, in order: a byte-order mark (UTF-8, UTF-16 LE/BE), a BOM-less UTF-16 file
// (every other byte zero), valid UTF-8, else Windows-1252 (French Excel's "CSV").
// Files that are not text at all (a workbook, a PDF, an image) are refused by name.

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

export const ENCODING_LABELS: Record<TextEncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
  'windows-1252': 'Windows-1252',
}

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x)

// Formats people pick by mistake instead of "CSV": refused with a sentence naming them.
const NOT_TEXT: [number[], 'import.file.spreadsheet' | 'import.file.binary'][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'import.file.spreadsheet'], // XLSX, ODS (zip)
  [[0xd0, 0xcf, 0x11, 0xe0], 'import.file.spreadsheet'], // XLS (OLE)
  [[0x25, 0x50, 0x44, 0x46], 'import.file.binary'], // PDF
]

/** Which byte of each pair is zero in a BOM-less UTF-16 file (ASCII text: half the bytes). */
function bomlessUtf16(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length, 4096) & ~1
  if (n < 4) return null
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++
    if (b[i + 1] === 0) oddZeros++
  }
  const pairs = n / 2
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le'
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be'
  return null
}

function detect(b: Uint8Array): { encoding: TextEncodingName; bom: number } {
  if (startsWith(b, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bom: 3 }
  if (startsWith(b, [0xff, 0xfe])) return { encoding: 'utf-16le', bom: 2 }
  if (startsWith(b, [0xfe, 0xff])) return { encoding: 'utf-16be', bom: 2 }
  const utf16 = bomlessUtf16(b)
  if (utf16) return { encoding: utf16, bom: 0 }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b)
    return { encoding: 'utf-8', bom: 0 }
  } catch {
    return { encoding: 'windows-1252', bom: 0 }
  }
}

// C0 controls but tab, LF and CR (the CSV's own structure), DEL, and the C1 block: counted to tell a binary file.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

/**
 * The import-side rule for user text: no C0/C1 control character is ever stored. Inside
 * a cell, CR LF becomes LF (a multi-line address), a tab becomes a space, and every other
 * control character is removed.
 */
export function cleanCellText(value: string): string {
  return withoutControlCharacters(normaliseLineBreaks(value).replace(/\t/g, ' '), true)
}

/** A one-line value (a file name): every control character removed, tab and line breaks included. */
export const withoutControls = (value: string) => withoutControlCharacters(value, false)

/**
 * The text of an imported file and the encoding it was read in. Refuses (ValidationError
 * on `file`) an empty file and a file that is not text.
 *
 * @example decodeImportText(iconv.encode('Sœurs;€', 'win1252')) // → { text: 'Sœurs;€', encoding: 'windows-1252' }
 */
export function decodeImportText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes.byteLength === 0) throw new ValidationError({ file: 'import.file.empty' })
  for (const [sig, code] of NOT_TEXT) if (startsWith(bytes, sig)) throw new ValidationError({ file: code })
  const { encoding, bom } = detect(bytes)
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(bom), encoding === 'windows-1252' ? 'win1252' : encoding)
  // Text files have no NUL and few other controls; an image or an archive has many.
  const sample = text.slice(0, 8192)
  const controls = sample.match(CONTROLS)?.length ?? 0
  if (sample.includes('\u0000') || controls > Math.max(8, sample.length / 100)) throw new ValidationError({ file: 'import.file.binary' })
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new ValidationError({ file: 'import.file.empty' })
  // The stored copy of the file carries no control character either (tab, CR, LF kept).
  return { text: text.replace(/^\uFEFF/, '').replace(CONTROLS, ''), encoding }
}
