import { createHash } from 'node:crypto'
import {
  AFRelationship,
  embedFacturX,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFObject,
} from '@cantoo/pdf-lib'

// The visible PDF (react-pdf) made a Factur-X PDF/A-3b: XMP with pdfaid:part=3 and the
// Factur-X extension schema (fx:ConformanceLevel EN 16931), sRGB output intent (the ICC
// v2 profile @cantoo/pdf-lib bundles), the CII XML embedded as factur-x.xml with
// AFRelationship /Data and listed in the catalog's /AF, a document /ID. The recipe is
// the one in /work/shared/STACK-NOTES.md that passed the official validators; its
// pitfalls are handled below. Everything that varies between two runs (dates, the
// file ID, react-pdf's random font-subset tags) is fixed from the document, so one
// invoice always gives the same bytes: a re-render is identical to the stored file.

export const FACTURX_FILENAME = 'factur-x.xml'

export type FacturXMeta = {
  title: string
  author: string
  subject: string
  keywords: string[]
  /** The issue instant: creation and modification dates of the PDF and of the attachment. */
  date: Date
  /** Seed of the document /ID (the invoice's id and number). */
  idSeed: string
}

const SUBSET_TAG = /^[A-Z]{6}\+/

/**
 * react-pdf (pdfkit) names each embedded font subset with six random capitals
 * ("QWERTY+DejaVuSans"); the same tag is derived from the font's position instead, so two
 * renders of one invoice match byte for byte.
 */
function fixFontSubsetTags(doc: PDFDocument): void {
  let n = 0
  const tags = new Map<string, string>()
  const tagFor = (old: string) => {
    let t = tags.get(old)
    if (!t) {
      let k = n++
      t = ''
      for (let i = 0; i < 6; i++) {
        t += String.fromCharCode(65 + (k % 26))
        k = Math.floor(k / 26)
      }
      tags.set(old, t)
    }
    return t
  }
  const rename = (dict: PDFDict, key: 'BaseFont' | 'FontName') => {
    const name = dict.lookup(PDFName.of(key))
    if (!(name instanceof PDFName)) return
    const v = name.decodeText()
    if (SUBSET_TAG.test(v)) dict.set(PDFName.of(key), PDFName.of(`${tagFor(v.slice(0, 6))}+${v.slice(7)}`))
  }
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue
    const type = obj.lookup(PDFName.of('Type'))
    if (type === PDFName.of('Font')) rename(obj, 'BaseFont')
    else if (type === PDFName.of('FontDescriptor')) rename(obj, 'FontName')
  }
}

/**
 * Drops the objects nothing points to any more: react-pdf's own /Info values (with the
 * wall-clock creation date) stay in the file as orphans once the Info dictionary is
 * replaced, and would make two renders differ.
 */
function dropUnreachable(doc: PDFDocument): void {
  const seen = new Set<string>()
  const walk = (o: PDFObject | undefined): void => {
    if (!o) return
    if (o instanceof PDFRef) {
      if (seen.has(o.tag)) return
      seen.add(o.tag)
      walk(doc.context.lookup(o))
    } else if (o instanceof PDFDict) for (const [, v] of o.entries()) walk(v)
    else if (o instanceof PDFArray) for (let i = 0; i < o.size(); i++) walk(o.get(i))
    else if (o instanceof PDFStream || o instanceof PDFRawStream) walk(o.dict)
  }
  walk(doc.context.trailerInfo.Root)
  walk(doc.context.trailerInfo.Info)
  for (const [ref] of doc.context.enumerateIndirectObjects()) if (!seen.has(ref.tag)) doc.context.delete(ref)
}

/** PDF/A-3b + factur-x.xml, deterministic. */
export async function makeFacturXPdf(pdfBytes: Uint8Array, xml: string, meta: FacturXMeta): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdfBytes, { updateMetadata: false })
  fixFontSubsetTags(doc)
  doc.setTitle(meta.title, { showInWindowTitleBar: true })
  doc.setAuthor(meta.author)
  doc.setSubject(meta.subject)
  doc.setKeywords(meta.keywords)
  doc.setCreator('Alforis CRM')
  doc.setProducer('Alforis CRM')
  doc.setLanguage('fr-FR')
  doc.setCreationDate(meta.date)
  doc.setModificationDate(meta.date)
  // PDF/A wants a file identifier; convertToPDFA keeps an existing one (else it draws a random one).
  const id = PDFHexString.fromBytes(createHash('sha256').update(meta.idSeed).digest().subarray(0, 16))
  doc.context.trailerInfo.ID = doc.context.obj([id, id])
  doc.convertToPDFA({ conformance: '3B', outputConditionIdentifier: 'sRGB IEC61966-2.1' })
  await embedFacturX(doc, new TextEncoder().encode(xml), {
    fileName: FACTURX_FILENAME,
    conformanceLevel: 'EN 16931',
    documentType: 'INVOICE',
    version: '1.0',
    description: 'Factur-X invoice data (EN 16931)',
    afRelationship: AFRelationship.Data,
    // Without the modification date the file spec has no /ModDate (a PDF/A-3 warning).
    creationDate: meta.date,
    modificationDate: meta.date,
  })
  // The attachment and the catalog's /AF exist only once flushed.
  await doc.flush()
  // The library writes /UF as UTF-16, which poppler's pdfdetach (used by common
  // validators) cannot extract: a plain string is enough for an ASCII name.
  const af = doc.catalog.lookupMaybe(PDFName.of('AF'), PDFArray)
  for (let i = 0; i < (af?.size() ?? 0); i++) {
    const spec = af!.lookup(i, PDFDict)
    spec.set(PDFName.of('UF'), PDFString.of(FACTURX_FILENAME))
    spec.set(PDFName.of('F'), PDFString.of(FACTURX_FILENAME))
  }
  dropUnreachable(doc)
  // Object streams draw a PDF/A warning from some validators.
  return doc.save({ useObjectStreams: false })
}
