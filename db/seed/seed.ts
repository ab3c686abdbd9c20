// STUB — replaced by the seed generator.
import type { Db } from '../kysely.js'
export async function isSeeded(db: Db): Promise<boolean> {
  return !!(await db.selectFrom('workspaces').select('id').executeTakeFirst())
}
export async function seedDemo(_db: Db, _opts: { log?: (m: string) => void; seed?: number; deals?: number; organisations?: number } = {}): Promise<void> {}
