import type { Kysely } from 'kysely'

// Reserved: workflow runs, steps, side-effect keys (issue 7, engine).
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
