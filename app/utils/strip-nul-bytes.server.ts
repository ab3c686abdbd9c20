import { Transform } from 'node:stream'

// React 18.3's Node renderer (renderToPipeableStream) sometimes writes stray 0x00 bytes
// where a multi-byte character meets the edge of its 2 KB write buffer (react/react#31134):
// "20 000,00 €" arrived as "20\0\0 000,00 €" on a board column. The characters themselves
// are intact; the NULs are extra. A NUL never belongs in our HTML (user text with control
// characters is refused at input, domain/shared/user-text.ts), and a 0x00 byte is never
// part of a multi-byte UTF-8 sequence, so dropping every 0x00 byte is exact. Remove this
// when React is upgraded past the bug.
export function stripNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunk.indexOf(0) === -1) return done(null, chunk)
      const out = Buffer.allocUnsafe(chunk.length)
      let n = 0
      for (const byte of chunk) if (byte !== 0) out[n++] = byte
      done(null, out.subarray(0, n))
    },
  })
}
