import type { Kysely } from 'kysely';

/** Summary tables the reports read (filled in by the reports module). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
