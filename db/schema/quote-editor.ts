// Tables of this part of the app, merged into Database (db/schema.ts).
export interface QuoteEditorTables {}
