// Where the on-device OCR (tesseract.js) finds its worker, WebAssembly core and language
// data: served by the app itself from the npm packages (app/routes/ocr.$version.$file.ts),
// precached by the service worker (app/sw/precache-ocr.ts). tesseract.js would fetch
// them from a CDN by default; every path is set so that it never does.
// Shared by the route, the component and the service worker: no server-only imports.

/** Bump with tesseract.js / its data: the URLs (and the service worker's cache) change with it. */
export const OCR_VERSION = '7.0.0-4.0.0'
export const OCR_BASE = `/ocr/${OCR_VERSION}`

/** The files the route serves: URL name → package path. LSTM-only cores (OEM 1) and the best_int data. */
export const OCR_FILES = {
  'worker.min.js': 'tesseract.js/dist/worker.min.js',
  'tesseract-core-lstm.wasm.js': 'tesseract.js-core/tesseract-core-lstm.wasm.js',
  'tesseract-core-simd-lstm.wasm.js': 'tesseract.js-core/tesseract-core-simd-lstm.wasm.js',
  'fra.traineddata.gz': '@tesseract.js-data/fra/4.0.0_best_int/fra.traineddata.gz',
  'eng.traineddata.gz': '@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz',
} as const

export type OcrFile = keyof typeof OCR_FILES

export const OCR_LANGS = ['fra', 'eng'] as const

// The smallest module using a SIMD instruction (as wasm-feature-detect checks it).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11])

/** The core this browser runs: the page and the service worker pick the same one. */
export function ocrCoreFile(): OcrFile {
  try {
    return WebAssembly.validate(SIMD_PROBE) ? 'tesseract-core-simd-lstm.wasm.js' : 'tesseract-core-lstm.wasm.js'
  } catch {
    return 'tesseract-core-lstm.wasm.js'
  }
}

/** Everything one OCR run needs, for precaching. */
export const ocrUrls = (): string[] => [`${OCR_BASE}/worker.min.js`, `${OCR_BASE}/${ocrCoreFile()}`, ...OCR_LANGS.map((l) => `${OCR_BASE}/${l}.traineddata.gz`)]
