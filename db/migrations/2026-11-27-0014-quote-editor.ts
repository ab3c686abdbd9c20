import type { Kysely } from 'kysely'

// Reserved: quote editor and catalogue screens (issue 5), if they need schema.
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
