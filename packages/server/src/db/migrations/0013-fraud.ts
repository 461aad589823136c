import type { Kysely } from 'kysely';

/** Fraud rules, cases and line bars (filled in by the fraud module). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
