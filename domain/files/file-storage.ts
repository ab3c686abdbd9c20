import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { Db } from '../../db/kysely.js'
import { EMPTY_SHA256, signS3Request, type S3Credentials } from './s3-sigv4.js'

// The one place files are kept: uploads and generated documents (frozen quote PDFs
// today; contracts, invoices, attachments later). Content-addressed: a file is named by
// the SHA-256 of its bytes, per workspace (stored_files), so storing the same bytes twice
// keeps one copy and a hash shown to a customer is the key to the very bytes. Streamed
// both ways: bytes go in from any async iterable and come out as a web stream, never
// whole in memory. Bytes live in Postgres (stored_file_chunks, 256 KB rows) unless an
// S3-compatible bucket is configured (S3_* variables) — ADR 0027 says why Postgres by
// default.

export const CHUNK_BYTES = 256 * 1024

export type StoredFile = { sha256: string; size: number; contentType: string }
export type OpenedFile = StoredFile & { stream: ReadableStream<Uint8Array> }

export type S3Config = S3Credentials & { endpoint: string; bucket: string }

/** S3 settings from the environment, or null (Postgres). All four of endpoint, bucket and keys, or none. */
export function s3ConfigFromEnv(env: Record<string, string | undefined> = process.env): S3Config | null {
  const endpoint = env.S3_ENDPOINT?.trim()
  const bucket = env.S3_BUCKET?.trim()
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim()
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim()
  if (!endpoint && !bucket) return null
  if (!endpoint || !bucket || !accessKeyId || !secretAccessKey)
    throw new Error('Stockage S3 incomplet : S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble.')
  return { endpoint: endpoint.replace(/\/+$/, ''), bucket, accessKeyId, secretAccessKey, region: env.S3_REGION?.trim() || 'us-east-1' }
}

export type FileStore = {
  /** Stores the bytes (once per content) and returns their hash and size. Joins `db`'s transaction when it is one. */
  put(workspaceId: string, source: Uint8Array | AsyncIterable<Uint8Array>, contentType: string): Promise<StoredFile>
  /** The file as a stream, or null when this workspace has no such content. */
  open(workspaceId: string, sha256: string): Promise<OpenedFile | null>
  /** The whole file in memory (small documents: a PDF to attach, a logo to draw). */
  read(workspaceId: string, sha256: string): Promise<(StoredFile & { bytes: Buffer }) | null>
}

type Options = { s3?: S3Config | null; fetch?: typeof fetch; now?: () => Date }

/**
 * The file store over `db` (Postgres bytes, or S3 when configured).
 *
 * @example const files = fileStore(db); const { sha256 } = await files.put(workspaceId, pdfBytes, 'application/pdf')
 */
export function fileStore(db: Db, opts: Options = {}): FileStore {
  const s3 = opts.s3 === undefined ? s3ConfigFromEnv() : opts.s3
  const backend = s3 ? s3Backend(s3, opts.fetch ?? fetch, opts.now ?? (() => new Date())) : null

  const indexRow = (workspaceId: string, sha256: string) =>
    db.selectFrom('stored_files').selectAll().where('workspace_id', '=', workspaceId).where('sha256', '=', sha256).executeTakeFirst()

  const store: FileStore = {
    async put(workspaceId, source, contentType) {
      if (!backend) return putInPostgres(db, workspaceId, source, contentType)
      // S3 wants the length up front: the stream is spooled to a temporary file while hashed.
      const spool = await spoolToTempFile(source)
      try {
        const existing = await indexRow(workspaceId, spool.sha256)
        if (!existing) {
          await backend.put(`${workspaceId}/${spool.sha256}`, spool.file, spool.size, spool.sha256, contentType)
          await db
            .insertInto('stored_files')
            .values({
              workspace_id: workspaceId,
              sha256: spool.sha256,
              size_bytes: spool.size,
              content_type: contentType,
              backend: 's3',
              blob_id: randomUUID(),
            })
            .onConflict((oc) => oc.columns(['workspace_id', 'sha256']).doNothing())
            .execute()
        }
        return { sha256: spool.sha256, size: spool.size, contentType: existing?.content_type ?? contentType }
      } finally {
        fs.rmSync(path.dirname(spool.file), { recursive: true, force: true })
      }
    },
    async open(workspaceId, sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return null
      const row = await indexRow(workspaceId, sha256)
      if (!row) return null
      const meta = { sha256, size: Number(row.size_bytes), contentType: row.content_type }
      if (row.backend === 'postgres') return { ...meta, stream: chunkStream(db, row.blob_id) }
      if (!backend) throw new Error(`Le fichier ${sha256} est dans le stockage S3, qui n'est pas configuré (S3_*).`)
      return { ...meta, stream: await backend.get(`${workspaceId}/${sha256}`) }
    },
    async read(workspaceId, sha256) {
      const f = await store.open(workspaceId, sha256)
      if (!f) return null
      const parts: Uint8Array[] = []
      for await (const p of Readable.fromWeb(f.stream as import('node:stream/web').ReadableStream)) parts.push(p as Uint8Array)
      const bytes = Buffer.concat(parts)
      if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error(`Fichier ${sha256} altéré dans le stockage`)
      return { sha256, size: f.size, contentType: f.contentType, bytes }
    },
  }
  return store
}

async function* asChunks(source: Uint8Array | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) yield source
  else yield* source
}

/** Re-cuts a stream into CHUNK_BYTES pieces (the last one shorter). */
async function* rechunk(source: Uint8Array | AsyncIterable<Uint8Array>): AsyncIterable<Buffer> {
  let pending: Buffer[] = []
  let size = 0
  for await (const part of asChunks(source)) {
    let b = Buffer.from(part.buffer, part.byteOffset, part.byteLength)
    while (b.length) {
      const take = Math.min(CHUNK_BYTES - size, b.length)
      pending.push(b.subarray(0, take))
      size += take
      b = b.subarray(take)
      if (size === CHUNK_BYTES) {
        yield Buffer.concat(pending)
        pending = []
        size = 0
      }
    }
  }
  if (size) yield Buffer.concat(pending)
}

async function putInPostgres(db: Db, workspaceId: string, source: Uint8Array | AsyncIterable<Uint8Array>, contentType: string): Promise<StoredFile> {
  // The chunks are written under a fresh blob id as they come; once the hash is known,
  // the index row names them, or they are dropped when this content was already kept.
  const blobId = randomUUID()
  const hash = createHash('sha256')
  let size = 0
  let idx = 0
  for await (const chunk of rechunk(source)) {
    hash.update(chunk)
    size += chunk.length
    await db.insertInto('stored_file_chunks').values({ blob_id: blobId, idx: idx++, bytes: chunk }).execute()
  }
  const sha256 = hash.digest('hex')
  const inserted = await db
    .insertInto('stored_files')
    .values({ workspace_id: workspaceId, sha256, size_bytes: size, content_type: contentType, backend: 'postgres', blob_id: blobId })
    .onConflict((oc) => oc.columns(['workspace_id', 'sha256']).doNothing())
    .returning('blob_id')
    .executeTakeFirst()
  if (!inserted) await db.deleteFrom('stored_file_chunks').where('blob_id', '=', blobId).execute()
  return { sha256, size, contentType }
}

/** Reads a Postgres blob one chunk per pull. */
function chunkStream(db: Db, blobId: string): ReadableStream<Uint8Array> {
  let idx = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const row = await db.selectFrom('stored_file_chunks').select('bytes').where('blob_id', '=', blobId).where('idx', '=', idx).executeTakeFirst()
      if (!row) return controller.close()
      idx++
      controller.enqueue(new Uint8Array(row.bytes))
    },
  })
}

async function spoolToTempFile(source: Uint8Array | AsyncIterable<Uint8Array>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-file-'))
  const file = path.join(dir, 'blob')
  const out = fs.createWriteStream(file)
  const hash = createHash('sha256')
  let size = 0
  try {
    for await (const chunk of asChunks(source)) {
      hash.update(chunk)
      size += chunk.byteLength
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
  }
  return { file, size, sha256: hash.digest('hex') }
}

/** S3's PutObject and GetObject, path-style (`<endpoint>/<bucket>/<key>`), signed with SigV4. */
function s3Backend(c: S3Config, doFetch: typeof fetch, now: () => Date) {
  const url = (key: string) => new URL(`${c.endpoint}/${encodeURIComponent(c.bucket)}/${key}`)
  const fail = async (what: string, res: Response) => {
    const body = await res.text().catch(() => '')
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? `HTTP ${res.status}`
    return new Error(`S3 ${what} refusé : ${code}`)
  }
  return {
    async put(key: string, file: string, size: number, sha256: string, contentType: string) {
      const u = url(key)
      const headers = { 'content-type': contentType, 'content-length': String(size) }
      // The payload hash is the content's own hash: S3 checks the bytes it receives.
      const signed = signS3Request({ method: 'PUT', url: u, headers, payloadSha256: sha256, now: now(), credentials: c })
      const res = await doFetch(u, {
        method: 'PUT',
        headers: { ...headers, ...signed },
        body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit)
      if (!res.ok) throw await fail('PUT', res)
    },
    async get(key: string): Promise<ReadableStream<Uint8Array>> {
      const u = url(key)
      const signed = signS3Request({ method: 'GET', url: u, headers: {}, payloadSha256: EMPTY_SHA256, now: now(), credentials: c })
      const res = await doFetch(u, { headers: signed })
      if (!res.ok || !res.body) throw await fail('GET', res)
      return res.body
    },
  }
}
