import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Document, Page, renderToBuffer, Text } from '@react-pdf/renderer'
import { createElement as h } from 'react'
import { afterAll, describe, expect, it } from 'vitest'
import { pdfFont, registerPdfFonts } from './pdf-fonts.js'
import { sealPdf } from './pdf-seal.js'
import { selfSignedP12 } from '../../testing/self-signed-p12.js'

// The embedded font prints every character (text read back with poppler), and the
// PAdES seal is checked by poppler's pdfsig: valid as signed, broken by a one-byte edit.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-seal-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))
const write = (name: string, b: Buffer) => {
  const f = path.join(tmp, name)
  fs.writeFileSync(f, b)
  return f
}

const SAMPLE = 'CO₂, Łódź, ≥ 3 → ✓ — Sœurs Bœuf, 1 234,50 €'

async function samplePdf() {
  registerPdfFonts()
  return renderToBuffer(
    h(Document, null, h(Page, { size: 'A4', style: { padding: 40, ...pdfFont.regular } }, h(Text, null, SAMPLE), h(Text, { style: pdfFont.bold }, 'Gras ✓'))),
  )
}

describe('PDF font and seal', () => {
  it('embeds DejaVu Sans and prints CO₂, Łódź, ≥, →, ✓', async () => {
    const file = write('font.pdf', await samplePdf())
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(SAMPLE)
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    expect(fonts).toMatch(/DejaVuSans\s.*yes/)
    expect(fonts).toMatch(/DejaVuSans-Bold\s.*yes/)
    expect(fonts).not.toContain('Helvetica')
  })

  it('without a certificate leaves the bytes alone (their hash is the proof)', async () => {
    const pdf = await samplePdf()
    const r = await sealPdf(pdf, { reason: 'test', signedAt: new Date() }, null)
    expect(r).toEqual({ bytes: pdf, seal: 'hash' })
  })

  it('signs with the company certificate (PAdES): pdfsig finds it valid, and invalid after a one-byte edit', async () => {
    const p12 = selfSignedP12('Menuiseries Dupont', 'mot-de-passe')
    const { bytes, seal } = await sealPdf(
      await samplePdf(),
      { reason: 'Devis signé', signedAt: new Date() },
      { p12, passphrase: 'mot-de-passe', name: 'Menuiseries Dupont' },
    )
    expect(seal).toBe('pades')
    const signed = write('signed.pdf', bytes)
    const ok = spawnSync('pdfsig', [signed], { encoding: 'utf8' })
    expect(ok.stdout).toContain('Signature Type: ETSI.CAdES.detached')
    expect(ok.stdout).toContain('Signature Validation: Signature is Valid.')
    expect(ok.stdout).toContain('Menuiseries Dupont')
    // The text still reads, then one character of it is changed.
    const i = bytes.indexOf(Buffer.from('/Producer'))
    const tampered = Buffer.from(bytes)
    tampered[i + 2] = tampered[i + 2] === 0x72 ? 0x52 : 0x72
    const bad = spawnSync('pdfsig', [write('tampered.pdf', tampered)], { encoding: 'utf8' })
    expect(bad.stdout).not.toContain('Signature Validation: Signature is Valid.')
  })
})
