import type { ColumnType } from 'kysely'

// Column types shared by the table files of db/schema/.
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
// Pass objects, never JSON.stringify: postgres.js encodes jsonb parameters itself.
export type Json<T = Record<string, unknown>> = ColumnType<T, T, T>
