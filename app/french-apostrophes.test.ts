import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorsFr } from './i18n/errors.fr'
import { fr } from './i18n/fr'

// One apostrophe style on screen: the typographic ’ (l’organisation, jusqu’au), never
// the typewriter ' — in every French catalogue, and in the French words the screens and
// the domain write outside them (labels of variables, workflow templates, history
// titles, the edge's refusals). New text from any branch goes through this guard.
//
// Left out on purpose: printed documents and e-mails (quote and invoice PDFs, Factur-X
// checks, legal mentions; their own tests read them back character for character, and
// changing them is a decision of its own) and messages to the operator's terminal.

const ROOT = path.resolve(__dirname, '..')
const SCANNED = ['app', 'domain', 'jobs']
const DOCUMENTS_AND_OPERATOR = [
  /^domain\/invoicing\//,
  /^domain\/mail\/templates\/quote-/,
  /^domain\/sales\/company-settings\.rules\.ts$/,
  /^app\/utils\/quote-pdf\.server\.tsx$/,
  /^app\/utils\/session-secret\.server\.ts$/,
  /^app\/http\/trust-proxy\.server\.ts$/,
  /^domain\/files\//,
  /^jobs\/projection-consistency-check\.job\.ts$/,
]

// A French elision written with a straight apostrophe: l'…, d'…, qu'…, jusqu'…, aujourd'hui.
const STRAIGHT_ELISION = /(?<![\p{L}\\])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|presqu|aujourd)'(?=\p{L})/iu

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'testing' ? [] : sourceFiles(rel)
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$|\.en\.ts$|\.d\.ts$/.test(e.name) ? [rel] : []
  })
}

/** Lines of code with their comments blanked (comments are English and may say "the deal's"). */
function codeLines(file: string): string[] {
  return fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => line.replace(/(^|[^:\\'"`])\/\/.*$/, '$1').replace(/\\n/g, ' '))
}

describe('one apostrophe style in French text', () => {
  it('the guard catches what it looks for, and leaves English and code alone', () => {
    for (const bad of ["l'organisation", "Date d'émission", "jusqu'au", "aujourd'hui", "L'avoir", "qu'on"]) expect(bad, bad).toMatch(STRAIGHT_ELISION)
    for (const fine of ['l’organisation', "the deal's stage", "don't", "x === 's'", "'Facture'", "'d'"]) expect(fine, fine).not.toMatch(STRAIGHT_ELISION)
  })

  it('the French catalogues use ’ only', () => {
    const straight = Object.entries({ ...fr, ...errorsFr }).filter(([, text]) => text.includes("'"))
    expect(straight.map(([key, text]) => `${key}: ${text}`)).toEqual([])
  })

  it('the French words written in the code use ’ too', () => {
    const hits: string[] = []
    for (const dir of SCANNED)
      for (const file of sourceFiles(dir)) {
        if (DOCUMENTS_AND_OPERATOR.some((re) => re.test(file))) continue
        codeLines(file).forEach((line, i) => {
          if (STRAIGHT_ELISION.test(line)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`)
        })
      }
    expect(hits).toEqual([])
  })
})
