import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { readCsv } from './csv.js'
import { cleanCellText, decodeImportText, withoutControls } from './decode-text.js'

const SAMPLE = 'Sœurs Bœuf – L’Œnothèque;€ œ Œ ’ – …'
const win1252 = (s: string) => new Uint8Array(iconv.encode(s, 'win1252'))
const utf8 = (s: string) => new TextEncoder().encode(s)
const C1 = /[\u0080-\u009f]/

describe('decoding imported files', () => {
  it('reads French Excel’s Windows-1252 bytes 0x80–0x9F as œ Œ ’ – € …, never as control characters', () => {
    const bytes = win1252(SAMPLE)
    // The bytes really are the 0x80–0x9F ones Node 20's TextDecoder gets wrong.
    expect([...bytes]).toEqual(expect.arrayContaining([0x9c, 0x8c, 0x92, 0x96, 0x80, 0x85]))
    const { text, encoding } = decodeImportText(bytes)
    expect(encoding).toBe('windows-1252')
    expect(text).toBe(SAMPLE)
    expect(text).not.toMatch(C1)
  })

  it('reads the same text saved as UTF-8, with and without a BOM', () => {
    expect(decodeImportText(utf8(SAMPLE))).toEqual({ text: SAMPLE, encoding: 'utf-8' })
    expect(decodeImportText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(SAMPLE)]))).toEqual({ text: SAMPLE, encoding: 'utf-8' })
  })

  it('reads UTF-16 little and big endian (Excel’s "Unicode text"), with a BOM or without', () => {
    const le = new Uint8Array(iconv.encode(SAMPLE, 'utf-16le'))
    const be = new Uint8Array(iconv.encode(SAMPLE, 'utf-16be'))
    expect(decodeImportText(new Uint8Array([0xff, 0xfe, ...le]))).toEqual({ text: SAMPLE, encoding: 'utf-16le' })
    expect(decodeImportText(new Uint8Array([0xfe, 0xff, ...be]))).toEqual({ text: SAMPLE, encoding: 'utf-16be' })
    expect(decodeImportText(le)).toEqual({ text: SAMPLE, encoding: 'utf-16le' })
  })

  it('parses a Windows-1252 CSV into cells that keep every character', () => {
    const t = readCsv(win1252('Raison sociale;Ville\r\nSœurs Bœuf – L’Œnothèque;Besançon\r\n'))
    expect(t).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      headers: ['Raison sociale', 'Ville'],
      rows: [['Sœurs Bœuf – L’Œnothèque', 'Besançon']],
    })
  })

  it('never keeps C0 or C1 control characters from a cell', () => {
    expect(cleanCellText('A\u0000B\u0007C\u0085D\u009fE\u007fF')).toBe('ABCDEF')
    expect(cleanCellText('12 rue Haute\r\nBât. B\tporte 3')).toBe('12 rue Haute\nBât. B porte 3')
    expect(withoutControls('clients\u0085\r\n2026.csv')).toBe('clients2026.csv')
    const t = readCsv(utf8('Nom;Note\r\nSo\u0001ciété\u0092;"ligne 1\r\nligne 2"\r\n'))
    expect(t.rows).toEqual([['Société', 'ligne 1\nligne 2']])
    // eslint-disable-next-line no-control-regex -- the very characters that must be absent
    expect(t.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/)
  })

  it('refuses files that are not text, by what they are', () => {
    const codeOf = (b: Uint8Array) => {
      try {
        readCsv(b)
        return null
      } catch (e) {
        return (e as { fieldErrors?: Record<string, unknown> }).fieldErrors?.file
      }
    }
    expect(codeOf(new Uint8Array(0))).toBe('import.file.empty')
    expect(codeOf(utf8('\uFEFF  \r\n'))).toBe('import.file.empty')
    expect(codeOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBe('import.file.spreadsheet')
    expect(codeOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]))).toBe('import.file.binary')
    expect(codeOf(utf8('Nom;Ville\r\n"Café du Port;Sète\r\nAutre;Lyon\r\n'))).toEqual({ code: 'import.file.unclosed_quote', params: { line: 2 } })
  })
})
