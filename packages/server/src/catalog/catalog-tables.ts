/** The catalog tables (see db/database-schema.ts). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the capability grows
export interface CatalogTables {}
