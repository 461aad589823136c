/** The fraud tables (see db/migrations/0013-fraud.ts). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the fraud tables
export type FraudTables = {};
