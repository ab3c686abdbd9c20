import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { stripNulBytes } from './strip-nul-bytes.server'

describe('stripNulBytes', () => {
  it('drops the stray NULs React 18.3 can write, keeping every character around them', async () => {
    const narrow = Buffer.from('\u202f', 'utf8')
    const chunks = [Buffer.from('<p>20'), Buffer.from([0, 0]), narrow.subarray(0, 1), narrow.subarray(1), Buffer.from('000,00\u00a0€</p>', 'utf8')]
    expect(await text(Readable.from(chunks).pipe(stripNulBytes()))).toBe('<p>20\u202f000,00\u00a0€</p>')
  })

  it('passes chunks without NUL through untouched', async () => {
    const chunk = Buffer.from('Sœurs Bœuf – L’Œnothèque', 'utf8')
    expect(await text(Readable.from([chunk]).pipe(stripNulBytes()))).toBe('Sœurs Bœuf – L’Œnothèque')
  })
})
