import type { Kysely } from 'kysely'

// Reserved: workspace legal settings, quote links, signatures and archived PDFs (issue 5).
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
