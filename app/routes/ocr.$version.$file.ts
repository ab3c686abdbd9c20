import { createRequire } from 'node:module'
import fs from 'node:fs/promises'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { OCR_FILES, OCR_VERSION, type OcrFile } from '~/components/card-scan-assets'

// The OCR files (tesseract.js worker, WebAssembly core, French and English data) from
// the npm packages, so the card scan never reaches a CDN. Public (no user data), an
// allowlist of names, immutable under their versioned URL.

const require = createRequire(import.meta.url)
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.gz': 'application/octet-stream' }

export async function loader({ params }: LoaderFunctionArgs) {
  const name = params.file ?? ''
  if (params.version !== OCR_VERSION || !Object.hasOwn(OCR_FILES, name)) throw new Response('not found', { status: 404 })
  const file = require.resolve(OCR_FILES[name as OcrFile])
  const body = await fs.readFile(file)
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': TYPES[name.slice(name.lastIndexOf('.'))],
      'Content-Length': String(body.length),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
