import { createHash, randomBytes } from 'node:crypto'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/kysely.js'
import { givenWorkspace } from '../../testing/fixtures.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { CHUNK_BYTES, fileStore, s3ConfigFromEnv, type FileStore } from './file-storage.js'
import { s3Mock } from './s3.mock.js'
import { signS3Request } from './s3-sigv4.js'

// The file store against the real Postgres (its default backend) and against an S3
// bucket emulated by msw (PutObject / GetObject with S3's checks).

const S3 = { endpoint: 'https://s3.test.invalid', bucket: 'alforis-docs', accessKeyId: 'AKIATESTKEY', secretAccessKey: 'secret', region: 'fr-par' }
const bucket = s3Mock(S3)
const server = setupServer(...bucket.handlers)
let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' })
  pg = createDb(await createTestDatabase())
})
afterAll(async () => {
  await pg?.db.destroy()
  server.close()
})
const db = () => pg.db
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

async function* inPieces(b: Buffer, size: number) {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size)
}

async function behavesAsAStore(files: FileStore) {
  const w = await givenWorkspace(db())
  const other = await givenWorkspace(db())
  // Larger than two chunks, arriving in odd-sized pieces.
  const big = randomBytes(CHUNK_BYTES * 2 + 12_345)
  const put = await files.put(w.workspaceId, inPieces(big, 70_001), 'application/pdf')
  expect(put).toEqual({ sha256: sha(big), size: big.length, contentType: 'application/pdf' })
  const back = await files.read(w.workspaceId, put.sha256)
  expect(back!.bytes.equals(big)).toBe(true)
  expect(back!.contentType).toBe('application/pdf')
  // Same content again: one copy, same name.
  expect((await files.put(w.workspaceId, big, 'application/pdf')).sha256).toBe(put.sha256)
  expect(await db().selectFrom('stored_files').select('sha256').where('workspace_id', '=', w.workspaceId).execute()).toHaveLength(1)
  // Another workspace does not see it; an unknown or malformed hash is null.
  expect(await files.open(other.workspaceId, put.sha256)).toBeNull()
  expect(await files.open(w.workspaceId, sha(Buffer.from('x')))).toBeNull()
  expect(await files.open(w.workspaceId, '../etc/passwd')).toBeNull()
  // An empty file is a file.
  const empty = await files.put(w.workspaceId, Buffer.alloc(0), 'text/plain')
  expect((await files.read(w.workspaceId, empty.sha256))!.bytes.length).toBe(0)
  return { w, put, big }
}

describe('file store (Postgres, the default)', () => {
  it('stores a stream by its SHA-256, reads it back chunk by chunk, keeps one copy per content and workspace', async () => {
    const { put, big } = await behavesAsAStore(fileStore(db(), { s3: null }))
    const row = await db().selectFrom('stored_files').selectAll().where('sha256', '=', put.sha256).executeTakeFirstOrThrow()
    expect(row.backend).toBe('postgres')
    const chunks = await db().selectFrom('stored_file_chunks').select('idx').where('blob_id', '=', row.blob_id).execute()
    expect(chunks).toHaveLength(Math.ceil(big.length / CHUNK_BYTES))
  })

  it('detects bytes altered in storage', async () => {
    const files = fileStore(db(), { s3: null })
    const w = await givenWorkspace(db())
    const put = await files.put(w.workspaceId, Buffer.from('devis original'), 'text/plain')
    const row = await db().selectFrom('stored_files').select('blob_id').where('sha256', '=', put.sha256).executeTakeFirstOrThrow()
    await db()
      .updateTable('stored_file_chunks')
      .set({ bytes: Buffer.from('devis modifié') })
      .where('blob_id', '=', row.blob_id)
      .execute()
    await expect(files.read(w.workspaceId, put.sha256)).rejects.toThrow(/altéré/)
  })
})

describe('file store (S3-compatible, when configured)', () => {
  it('puts and gets objects with SigV4-signed requests whose payload hash is the content hash', async () => {
    const files = fileStore(db(), { s3: S3 })
    const { w, put, big } = await behavesAsAStore(files)
    const key = `${w.workspaceId}/${put.sha256}`
    expect(bucket.objects.get(key)!.body.equals(big)).toBe(true)
    const puts = bucket.requests.filter((r) => r.method === 'PUT' && r.key === key)
    // The second put of the same content did not upload again.
    expect(puts).toHaveLength(1)
    expect(puts[0].headers['x-amz-content-sha256']).toBe(put.sha256)
    expect(puts[0].headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIATESTKEY\/\d{8}\/fr-par\/s3\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    )
    expect((await db().selectFrom('stored_files').select('backend').where('sha256', '=', put.sha256).executeTakeFirstOrThrow()).backend).toBe('s3')
  })

  it('signs exactly as AWS documents it (the GetObject example of the SigV4 reference)', () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html — "Example: GET Object"
    const h = signS3Request({
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { Range: 'bytes=0-9' },
      payloadSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      now: new Date('2013-05-24T00:00:00Z'),
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
    })
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    )
  })

  it('reads its settings from the environment, all or nothing', () => {
    expect(s3ConfigFromEnv({})).toBeNull()
    expect(() => s3ConfigFromEnv({ S3_BUCKET: 'b' })).toThrow(/S3_ENDPOINT/)
    expect(s3ConfigFromEnv({ S3_ENDPOINT: 'https://s3.fr-par.scw.cloud/', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' })).toMatchObject({
      endpoint: 'https://s3.fr-par.scw.cloud',
      region: 'us-east-1',
    })
  })
})
